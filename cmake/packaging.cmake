# Packaging: the man page install rule and a Debian package built with CPack.
#
#   cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DDATAZONE_MOCK_BUILD_TESTS=OFF
#   cmake --build build-release && (cd build-release && cpack -G DEB)
#
# gives build-release/datazone-mock_<version>_<arch>.deb with everything `cmake --install`
# installs (binary, static library, headers, CMake package config, bundled data) plus the man
# page, under /usr. Its Depends line is computed by dpkg-shlibdeps (Debian's dpkg-dev and
# `file` must be installed; scripts/build-release.sh --deb installs them).

# The man page, with the project's version in its title line (docs/datazone-mock.1 keeps
# rendering on its own with `man -l`), gzipped as Debian policy wants (-n: no name or time stamp,
# so the package is reproducible). Without gzip the plain page is installed.
set(DATAZONE_MOCK_MAN_SOURCE ${PROJECT_SOURCE_DIR}/docs/datazone-mock.1)
set(DATAZONE_MOCK_MAN_PAGE ${PROJECT_BINARY_DIR}/man/datazone-mock.1)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${DATAZONE_MOCK_MAN_SOURCE})
file(READ ${DATAZONE_MOCK_MAN_SOURCE} datazone_mock_man_text)
string(REGEX REPLACE "^(\\.TH [^\n]*\"datazone-mock )[^\"]*\"" "\\1${PROJECT_VERSION}\""
       datazone_mock_man_text "${datazone_mock_man_text}")
set(datazone_mock_man_text_before "")
if(EXISTS ${DATAZONE_MOCK_MAN_PAGE})
  file(READ ${DATAZONE_MOCK_MAN_PAGE} datazone_mock_man_text_before)
endif()
if(NOT datazone_mock_man_text STREQUAL datazone_mock_man_text_before)  # rewritten only on change: no needless rebuilds
  file(WRITE ${DATAZONE_MOCK_MAN_PAGE} "${datazone_mock_man_text}")
endif()
find_program(DATAZONE_MOCK_GZIP gzip)
if(DATAZONE_MOCK_GZIP)
  set(DATAZONE_MOCK_MAN_PAGE_GZ ${PROJECT_BINARY_DIR}/man/datazone-mock.1.gz)
  add_custom_command(
    OUTPUT ${DATAZONE_MOCK_MAN_PAGE_GZ}
    COMMAND sh -c "\"$0\" -9 -n -c \"$1\" > \"$2\"" ${DATAZONE_MOCK_GZIP}
            ${DATAZONE_MOCK_MAN_PAGE} ${DATAZONE_MOCK_MAN_PAGE_GZ}
    DEPENDS ${DATAZONE_MOCK_MAN_PAGE}
    COMMENT "Compressing the man page"
    VERBATIM)
  add_custom_target(datazone_mock_man_page ALL DEPENDS ${DATAZONE_MOCK_MAN_PAGE_GZ})
  install(FILES ${DATAZONE_MOCK_MAN_PAGE_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  install(FILES ${DATAZONE_MOCK_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

set(DATAZONE_MOCK_PACKAGE_MAINTAINER "datazone-mock maintainers <datazone-mock@example.org>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_PACKAGE_NAME datazone-mock)
set(CPACK_PACKAGE_VENDOR datazone-mock)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${DATAZONE_MOCK_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "in-memory mock of the Amazon DataZone ListJobRuns API")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # strips the executable; a static library is only ranlib'ed
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR "")
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR})

set(CPACK_DEBIAN_PACKAGE_NAME datazone-mock)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # datazone-mock_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${DATAZONE_MOCK_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The library and its CMake package are static: a project that links it needs the development
# packages of its dependencies, which the server itself does not.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "cmake (>= 3.25), g++ (>= 4:12), pkg-config, libcpp-httplib-dev, libyaml-cpp-dev, nlohmann-json3-dev, libssl-dev")
# The long description; CPack puts the summary above it and indents it as dpkg wants (an empty
# line separates paragraphs).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "datazone-mock answers GET /v2/domains/{domain}/jobs/{job}/runs as Amazon
DataZone does: the same routes, validation, status codes, headers, error
bodies and paginated nextTokens, so boto3, the aws CLI and the JavaScript
SDK cannot tell it from AWS. It serves job runs from YAML fixtures, injects
faults (throttling, 5xx, delays, broken connections) from scenario files,
can verify SigV4 signatures and has an admin API under /_mock/ to seed data
and inspect the requests it received.

The package holds the datazone-mock server, its man page, the bundled demo
fixtures and scenarios, and a static C++ library with headers and a CMake
package (find_package(datazone_mock)) that embeds the server in a test
binary.")

include(CPack)
