// Tessera's shipped kernel library: element-wise float32 kernels and a tiled matrix product.
// Compiled to PTX by build-ptx.sh; the PTX is committed so that builds need no CUDA toolkit.

#define TILE 16

// out[i] = a[i] + b[i] for i < n
extern "C" __global__ void vectorAdd(const float* __restrict__ a, const float* __restrict__ b,
                                     float* __restrict__ out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i] = a[i] + b[i];
    }
}

// y[i] = a * x[i] + y[i] for i < n
extern "C" __global__ void saxpy(float a, const float* __restrict__ x, float* __restrict__ y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        y[i] = a * x[i] + y[i];
    }
}

// C[m x n] = A[m x k] * B[k x n], all row-major float32. One TILE x TILE block of threads computes
// one tile of C, staging matching tiles of A and B through shared memory.
extern "C" __global__ void matmul(const float* __restrict__ A, const float* __restrict__ B,
                                  float* __restrict__ C, int m, int n, int k) {
    __shared__ float as[TILE][TILE];
    __shared__ float bs[TILE][TILE];
    int row = blockIdx.y * TILE + threadIdx.y;
    int col = blockIdx.x * TILE + threadIdx.x;
    float acc = 0.0f;
    for (int t = 0; t < k; t += TILE) {
        int ac = t + threadIdx.x;
        int br = t + threadIdx.y;
        as[threadIdx.y][threadIdx.x] = (row < m && ac < k) ? A[(size_t) row * k + ac] : 0.0f;
        bs[threadIdx.y][threadIdx.x] = (br < k && col < n) ? B[(size_t) br * n + col] : 0.0f;
        __syncthreads();
#pragma unroll
        for (int j = 0; j < TILE; ++j) {
            acc += as[threadIdx.y][j] * bs[j][threadIdx.x];
        }
        __syncthreads();
    }
    if (row < m && col < n) {
        C[(size_t) row * n + col] = acc;
    }
}
