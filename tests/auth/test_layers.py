"""duzhan.auth sits at layer 4 (beside duzhan.ledgers): importing it loads no page, view,
export, chart, CLI or Streamlit code, and nothing of duzhan.ledgers."""
import subprocess
import sys


def test_auth_imports_only_lower_layers():
    code = ("import sys, duzhan.auth; print('\\n'.join(sorted(m for m in sys.modules "
            "if m.startswith(('duzhan', 'streamlit')))))")
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True).stdout.split()
    assert "duzhan.auth" in loaded
    allowed = ("duzhan.auth", "duzhan.store", "duzhan.contract", "duzhan.clock", "duzhan.i18n",
               "duzhan.privacy",
               "duzhan.paths")
    assert [m for m in loaded if m != "duzhan" and not m.startswith(allowed)] == []
