'use strict';
// Loads the compiled addon; throws (catchably) when it was not built or libdnnl is missing at run time.
module.exports = require('./build/Release/ranp_native.node');
