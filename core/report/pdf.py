"""The inspection report as a tagged A4 PDF: the HTML report (:mod:`.html`) through
WeasyPrint.

WeasyPrint is an optional extra (``pip install "hmip-inspect[pdf]"``), imported only here and
only when a PDF is asked for. The PDF is written as PDF/UA-1 where WeasyPrint offers that
variant (tagged structure, document title, language), else with ``pdf_tags=True``; the
headings give its bookmarks (``bookmark-level`` in the stylesheet) and WeasyPrint embeds the
subsets of the fonts it uses.
"""

from __future__ import annotations

from ..errors import InputError

INSTALL_HINT = 'pip install "hmip-inspect[pdf]"'


def _weasyprint():
    try:
        import weasyprint
    except ImportError:
        raise InputError(f"--format pdf needs WeasyPrint, which is not installed: {INSTALL_HINT}") from None
    except OSError as exc:  # the Python package is there, its system libraries (Pango) are not
        raise InputError(f"--format pdf: WeasyPrint cannot load its system libraries ({exc}); "
                         "install Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0)") from None
    return weasyprint


def render_pdf(html: str) -> bytes:
    """``html`` as PDF bytes: A4 (from the stylesheet's ``@page``), tagged, fonts embedded."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html).render()
    options: dict[str, object] = {"pdf_tags": True}
    try:
        from weasyprint.pdf import VARIANTS
        if "pdf/ua-1" in VARIANTS:
            options["pdf_variant"] = "pdf/ua-1"
    except ImportError:  # an older WeasyPrint: tags only
        pass
    return document.write_pdf(**options)
