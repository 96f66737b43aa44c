// Boost.JSON compiled here, with the fuzzer's instrumentation, instead of linking Debian's
// libboost_json: the parser's branches then guide the fuzzer too.
#include <boost/json/src.hpp>
