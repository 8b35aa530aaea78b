"""The contract as an OpenDocument text (.odt): editable in LibreOffice, Word or an online office suite.

Written with the standard library (zipfile): the format is a zip of XML files, and a
contract needs only headings and paragraphs, so no dependency is added.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from carte_blanche.contracts.document import ChecklistItem, ContractText

MIMETYPE = "application/vnd.oasis.opendocument.text"
MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="{MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"'
)
STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS}>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:margin-bottom="0.2cm" fo:line-height="130%"/>
   <style:text-properties fo:font-family="'Liberation Sans', Arial" fo:font-size="11pt"
    fo:language="fr" fo:country="FR"/>
  </style:default-style>
  <style:style style:name="Title" style:family="paragraph">
   <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.6cm"/>
   <style:text-properties fo:font-size="16pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"
   style:default-outline-level="2">
   <style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-size="12pt" fo:font-weight="bold"/>
  </style:style>
 </office:styles>
</office:document-styles>"""


def _p(text: str) -> str:
    return f"<text:p>{escape(text)}</text:p>"


def _h(text: str, level: int = 2) -> str:
    return f'<text:h text:style-name="Heading_20_2" text:outline-level="{level}">{escape(text)}</text:h>'


def contract_odt(text: ContractText, checklist: list[ChecklistItem], *, notice: str) -> bytes:
    body = [f'<text:p text:style-name="Title">{escape(text.title)}</text:p>', _p(notice)]
    body += [_p(line) for line in text.parties]
    for section in text.sections:
        body.append(_h(section.heading))
        body += [_p(line) for line in section.paragraphs]
    body += [_p(line) for line in text.closing]
    body.append(_h("Annexe — Les démarches de l'embauche"))
    for item in checklist:
        reference = f" ({item.reference})" if item.reference else ""
        body.append(_p(f"☐ {item.title} : {item.detail}{reference}"))
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NS}>'
        f"<office:body><office:text>{''.join(body)}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype comes first and uncompressed: that is how readers recognise the format.
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", STYLES, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
