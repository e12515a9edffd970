# Finds single OpenCV modules without OpenCVConfig.cmake, which Debian ships only in the
# libopencv-dev meta package (that one drags in GUI toolkits; see scripts/install-deps).
# Defines an imported target opencv_<name> for each requested component.
find_path(OpenCVModules_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4)
set(_opencv_missing "")
foreach(_module IN LISTS OpenCVModules_FIND_COMPONENTS)
  find_library(OpenCVModules_${_module}_LIBRARY opencv_${_module})
  if(OpenCVModules_${_module}_LIBRARY AND OpenCVModules_INCLUDE_DIR)
    set(OpenCVModules_${_module}_FOUND TRUE)
    if(NOT TARGET opencv_${_module})
      add_library(opencv_${_module} UNKNOWN IMPORTED)
      set_target_properties(opencv_${_module} PROPERTIES
        IMPORTED_LOCATION "${OpenCVModules_${_module}_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${OpenCVModules_INCLUDE_DIR}")
    endif()
  else()
    list(APPEND _opencv_missing ${_module})
  endif()
endforeach()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCVModules
  REQUIRED_VARS OpenCVModules_INCLUDE_DIR HANDLE_COMPONENTS
  REASON_FAILURE_MESSAGE "missing OpenCV modules: ${_opencv_missing} (run scripts/install-deps)")
