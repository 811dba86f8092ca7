# Writes build_info.h with the current git commit; run at every build so the
# manifest never records a stale commit. Rewrites the file only when it changes.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT commit AND DEFINED ENV{LINDIFF_GIT_COMMIT})
  # A copy of the source tree without .git (e.g. shipped to a GPU node) names its commit here.
  set(commit "$ENV{LINDIFF_GIT_COMMIT}")
elseif(NOT commit)
  set(commit unknown)
elseif(dirty)
  set(commit "${commit}-dirty")
endif()
set(content "// Generated at build time: the git commit recorded in run manifests.\n#pragma once\n#define LINDIFF_GIT_COMMIT \"${commit}\"\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE ${OUTPUT} "${content}")
endif()
