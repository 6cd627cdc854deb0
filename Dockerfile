# The RANP Studio engine and CLI (`ranp`) as a container image, for studies on a cluster:
# `ranp study export` writes a Kubernetes Indexed Job that runs this image; on SLURM run it with
# Apptainer/Singularity or install the repository on the nodes instead (README: "Studies on a cluster").
#   docker build -t ranp-studio:latest .
#   docker run --rm ranp-studio:latest doctor
# Debian bookworm + Node 20, the Debian run-time packages bin/setup.js names, npm ci as on a desktop.

FROM node:20-bookworm-slim AS build
WORKDIR /opt/ranp-studio
COPY bin/setup.js bin/setup.js
# Compilers for node-gyp (the native oneDNN addon in native/, better-sqlite3) besides the run-time packages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ make python3 $(node bin/setup.js --print-runtime-packages) \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY native native
# No Electron binary and no CUDA build of onnxruntime (a devDependency, left out anyway).
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1 ONNXRUNTIME_NODE_INSTALL=skip
RUN npm ci --omit=dev
COPY . .

FROM node:20-bookworm-slim
COPY bin/setup.js /tmp/setup.js
RUN apt-get update \
 && apt-get install -y --no-install-recommends $(node /tmp/setup.js --print-runtime-packages) \
 && rm -rf /var/lib/apt/lists/* /tmp/setup.js
COPY --from=build /opt/ranp-studio /opt/ranp-studio
RUN ln -s /opt/ranp-studio/bin/ranp.js /usr/local/bin/ranp
# The task's own store is a temporary folder; this is where other `ranp` commands keep theirs.
ENV RANP_DATA_DIR=/data
ENTRYPOINT ["ranp"]
CMD ["--help"]
