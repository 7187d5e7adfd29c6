#!/usr/bin/env bash
# Regenerates the committed PTX of the shipped kernels from the .cu sources beside this script.
# Needs nvcc (any CUDA >= 12). The PTX targets compute_80 (Ampere and newer, Hopper included) and
# its `.version` header is lowered to PTX ISA 8.0 so that every CUDA 12.x driver can JIT it
# (nvcc 13 writes ISA 9.0, which drivers older than CUDA 13 refuse); the kernels use no newer
# instruction, and ptxas checks the lowered file below.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/io/tessera/gpu/kernels"
arch=${TESSERA_PTX_ARCH:-compute_80}
isa=${TESSERA_PTX_ISA:-8.0}
mkdir -p "$out"
for cu in "$here"/*.cu; do
  name=$(basename "$cu" .cu)
  nvcc -arch="$arch" -ptx -O3 -o "$out/$name.ptx" "$cu"
  sed -i -E "s/^\.version [0-9]+\.[0-9]+/.version $isa/" "$out/$name.ptx"
  sed -i -E '/^\/\/ Cuda compilation tools|^\/\/ Based on|^\/\/ Compiler Build ID/d' "$out/$name.ptx"
  ptxas -arch="sm_${arch#compute_}" -o /dev/null "$out/$name.ptx"
  echo "wrote $out/$name.ptx ($(grep -m1 '^\.version' "$out/$name.ptx"), $arch)"
done
