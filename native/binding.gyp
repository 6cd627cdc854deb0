{
  "targets": [
    {
      "target_name": "ranp_native",
      "sources": ["src/addon.cc", "src/arguments.cc", "src/batchnorm.cc", "src/conv3d.cc", "src/copy.cc", "src/elementwise.cc", "src/geometry.cc", "src/losses.cc", "src/matmul.cc", "src/memory.cc", "src/optimizers.cc", "src/pooling.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "conditions": [
        # Linux: oneDNN from the distribution (Debian/Ubuntu libdnnl-dev, Fedora onednn-devel), GCC's
        # OpenMP. DT_RPATH $ORIGIN (not RUNPATH: it also serves libdnnl's own dependencies) lets an
        # installer ship libdnnl, libgomp and libOpenCL next to the addon (bin/bundle-native-libs.js).
        ["OS=='linux'", {
          "cflags!": ["-fno-exceptions"],
          "cflags_cc!": ["-fno-exceptions"],
          "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-fopenmp"],
          "ldflags": ["-fopenmp", "-Wl,--disable-new-dtags,-rpath,'$$ORIGIN'"],
          "libraries": ["-ldnnl"]
        }],
        # macOS: Homebrew's onednn and libomp (Apple clang has no OpenMP runtime of its own);
        # @loader_path finds the copies an installer puts next to the addon.
        ["OS=='mac'", {
          "include_dirs": ["<!(brew --prefix onednn)/include", "<!(brew --prefix libomp)/include"],
          "libraries": [
            "-L<!(brew --prefix onednn)/lib",
            "-L<!(brew --prefix libomp)/lib",
            "-ldnnl",
            "-lomp",
            "-Wl,-rpath,@loader_path"
          ],
          "xcode_settings": {
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "GCC_OPTIMIZATION_LEVEL": "3",
            "OTHER_CPLUSPLUSFLAGS": ["-Xpreprocessor", "-fopenmp"],
            "MACOSX_DEPLOYMENT_TARGET": "11.0"
          }
        }],
        # Windows: oneDNN from vcpkg (`vcpkg install onednn:x64-windows`, VCPKG_ROOT set; the triplet
        # from VCPKG_DEFAULT_TRIPLET), MSVC's OpenMP. Windows loads DLLs next to the addon itself.
        ["OS=='win'", {
          "include_dirs": ["<!(node -p \"require('path').join(process.env.VCPKG_ROOT || 'C:/vcpkg', 'installed', process.env.VCPKG_DEFAULT_TRIPLET || 'x64-windows', 'include')\")"],
          "libraries": ["<!(node -p \"require('path').join(process.env.VCPKG_ROOT || 'C:/vcpkg', 'installed', process.env.VCPKG_DEFAULT_TRIPLET || 'x64-windows', 'lib', 'dnnl.lib')\")"],
          "msvs_settings": {
            "VCCLCompilerTool": {
              "ExceptionHandling": 1,
              "Optimization": 2,
              "OpenMP": "true",
              "AdditionalOptions": ["/std:c++17"]
            }
          }
        }]
      ]
    }
  ]
}
