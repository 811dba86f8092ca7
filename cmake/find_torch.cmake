# Finds LibTorch and says whether it has CUDA (LINDIFF_TORCH_CUDA).
#
# The usual way is LibTorch's own CMake config (CMAKE_PREFIX_PATH pointing at a LibTorch, e.g.
# the one inside a PyTorch wheel: python3 -c "import torch; print(torch.utils.cmake_prefix_path)").
# A CUDA LibTorch's config needs the CUDA toolkit (nvcc) at configure time and fails where it
# cannot set CUDA up. LINDIFF_TORCH_WHEEL=<the torch package folder> skips that config and
# links the wheel's libraries directly (what torch.utils.cpp_extension does); CUDA headers then
# come from the toolkit that CUDAToolkit finds, if any.
set(LINDIFF_TORCH_WHEEL "" CACHE PATH "a PyTorch wheel's torch/ folder to link directly instead of find_package(Torch)")

if(LINDIFF_TORCH_WHEEL)
  set(_torch_lib ${LINDIFF_TORCH_WHEEL}/lib)
  find_library(LINDIFF_TORCH_LIBRARY torch PATHS ${_torch_lib} NO_DEFAULT_PATH REQUIRED)
  find_library(LINDIFF_TORCH_CPU_LIBRARY torch_cpu PATHS ${_torch_lib} NO_DEFAULT_PATH REQUIRED)
  find_library(LINDIFF_C10_LIBRARY c10 PATHS ${_torch_lib} NO_DEFAULT_PATH REQUIRED)
  find_library(LINDIFF_TORCH_CUDA_LIBRARY torch_cuda PATHS ${_torch_lib} NO_DEFAULT_PATH)
  find_library(LINDIFF_C10_CUDA_LIBRARY c10_cuda PATHS ${_torch_lib} NO_DEFAULT_PATH)
  add_library(lindiff_wheel_torch INTERFACE)
  target_include_directories(lindiff_wheel_torch SYSTEM INTERFACE
    ${LINDIFF_TORCH_WHEEL}/include ${LINDIFF_TORCH_WHEEL}/include/torch/csrc/api/include)
  target_link_libraries(lindiff_wheel_torch INTERFACE ${LINDIFF_TORCH_LIBRARY} ${LINDIFF_TORCH_CPU_LIBRARY} ${LINDIFF_C10_LIBRARY})
  set(LINDIFF_TORCH_CUDA OFF)
  if(LINDIFF_TORCH_CUDA_LIBRARY)
    find_package(CUDAToolkit REQUIRED)
    # libtorch_cuda registers the CUDA backend when loaded: keep it linked although no symbol is used.
    target_link_libraries(lindiff_wheel_torch INTERFACE
      -Wl,--no-as-needed ${LINDIFF_TORCH_CUDA_LIBRARY} ${LINDIFF_C10_CUDA_LIBRARY} -Wl,--as-needed CUDA::cudart)
    set(LINDIFF_TORCH_CUDA ON)
  endif()
  set(TORCH_LIBRARIES lindiff_wheel_torch)
else()
  find_package(Torch REQUIRED)
  set(LINDIFF_TORCH_CUDA OFF)
  if(TARGET torch_cuda OR TORCH_CUDA_LIBRARIES)
    find_package(CUDAToolkit REQUIRED)
    set(LINDIFF_TORCH_CUDA ON)
  endif()
endif()
message(STATUS "lindiff: LibTorch ${Torch_VERSION} ${LINDIFF_TORCH_WHEEL} (CUDA: ${LINDIFF_TORCH_CUDA})")
