"""The binding refuses a library it was not written for.

Builds tiny stand-in shared libraries with the system C compiler (skipped
without one): each reports a version and struct sizes through
lg_version_number and lg_struct_size, and `import leadgate` in a fresh
interpreter, pointed at it by LEADGATE_LIBRARY, must fail with a
LibraryError (an ImportError) that names the difference.
"""

import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from leadgate import _native

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)

STUB = r"""
#include <stddef.h>
unsigned lg_version_number(void) { return VERSION; }
size_t lg_struct_size(int id) {
  static const size_t sizes[] = {0, SIZES};
  return id >= 1 && id < (int)(sizeof sizes / sizeof sizes[0]) ? sizes[id] : 0;
}
"""


def sizes(**changes):
    """The binding's sizes by lg_struct_id (1..10), with some changed."""
    by_id = {sid: ctypes.sizeof(cls) for _, sid, cls in _native.STRUCT_IDS}
    names = {name: sid for name, sid, _ in _native.STRUCT_IDS}
    for name, size in changes.items():
        by_id[names[name]] = size
    return ",".join(str(by_id.get(i, 0)) for i in range(1, 11))


@unittest.skipUnless(shutil.which("cc"), "no C compiler (cc)")
class Abi(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="leadgate-abi-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def stub(self, version, struct_sizes):
        src = os.path.join(self.dir, "stub.c")
        lib = os.path.join(self.dir, "libstub%d.so" % len(os.listdir(self.dir)))
        with open(src, "w") as f:
            f.write(STUB)
        subprocess.run(["cc", "-shared", "-fPIC", "-o", lib, src, "-DVERSION=%d" % version,
                        "-DSIZES=%s" % struct_sizes], check=True)
        return lib

    def import_with(self, lib):
        env = dict(os.environ, LEADGATE_LIBRARY=lib, PYTHONPATH=PACKAGE_ROOT)
        env.pop("LD_PRELOAD", None)
        code = ("import leadgate\n")
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True)

    def refused(self, lib):
        r = self.import_with(lib)
        self.assertNotEqual(r.returncode, 0, "a mismatched library was accepted")
        self.assertIn("leadgate._native.LibraryError", r.stderr)
        return r.stderr.strip().splitlines()[-1]

    def test_a_struct_of_another_size_is_refused(self):
        msg = self.refused(self.stub(200, sizes(lg_decision=280)))
        self.assertIn("lg_decision is 280 bytes in the library, 272 in the binding"
                      if ctypes.sizeof(ctypes.c_void_p) == 8 else "lg_decision is 280", msg)
        msg = self.refused(self.stub(200, sizes(lg_rep=0, lg_sla_status=56)))
        self.assertIn("lg_rep is 0 bytes", msg)
        self.assertIn("lg_sla_status is 56 bytes", msg)
        msg = self.refused(self.stub(200, sizes(lg_learn_options=32)))
        self.assertIn("lg_learn_options is 32 bytes in the library, 24 in the binding", msg)

    def test_another_version_is_refused(self):
        for version, text in ((100, "0.1.0"), (300, "0.3.0"), (10200, "1.2.0")):
            msg = self.refused(self.stub(version, sizes()))
            self.assertIn("is libleadgate %s; this binding needs 0.2" % text, msg)

    def test_a_matching_stub_passes_the_check_and_fails_on_the_missing_functions(self):
        msg = self.refused(self.stub(201, sizes()))
        self.assertIn("lacks lg_version_string()", msg)

    def test_a_library_without_the_size_query_is_refused(self):
        src = os.path.join(self.dir, "old.c")
        lib = os.path.join(self.dir, "libold.so")
        with open(src, "w") as f:
            f.write("unsigned lg_version_number(void) { return 100; }\n")
        subprocess.run(["cc", "-shared", "-fPIC", "-o", lib, src], check=True)
        self.assertIn("is not libleadgate 0.2 or later", self.refused(lib))

    def test_a_missing_library_says_where_to_point(self):
        msg = self.refused(os.path.join(self.dir, "no-such-lib.so"))
        self.assertIn("set LEADGATE_LIBRARY", msg)


if __name__ == "__main__":
    unittest.main(verbosity=2)
