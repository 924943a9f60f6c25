"""Writes the e-mail corpus in this folder: small messages in the shapes real mail arrives in.

Run ``python tests/records/mail_corpus/make_corpus.py`` to regenerate the .eml files (the output is
deterministic; tests check the committed files match). Large or hostile inputs (a 25 MB attachment, zip
bombs, an encrypted PDF) are not committed: tests build them in a temporary folder with the functions at
the end of this file.
"""

from __future__ import annotations

import base64
import io
import quopri
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2024, 3, 4, 9, 0, 0)


def crlf(text: str, encoding: str = "utf-8") -> bytes:
    """A message written with newlines, sent as mail is: CRLF line ends."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode(encoding)


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


def qp(text: str, charset: str) -> str:
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def word(text: str, charset: str = "utf-8") -> str:
    """An RFC 2047 B-encoded word."""
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


# --- small documents -------------------------------------------------------------------------------


def png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def pdf(lines: list[str]) -> bytes:
    """A one-page PDF with Helvetica text, xref offsets computed so any reader opens it."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join(f"({esc(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def repack(data: bytes) -> bytes:
    """The same zip with fixed timestamps, so generated documents are byte-for-byte reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), src.read(info),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx(paragraphs: list[str], table: list[tuple[str, str]] = ()) -> bytes:
    """A real Word document made by python-docx."""
    import datetime

    import docx as python_docx

    document = python_docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=0, cols=2)
        for left, right in table:
            cells = grid.add_row().cells
            cells[0].text, cells[1].text = left, right
    props = document.core_properties
    props.author, props.last_modified_by = "Parish Clerk", "Parish Clerk"
    props.created = props.modified = datetime.datetime(2024, 3, 4, 9, 0, 0)
    buffer = io.BytesIO()
    document.save(buffer)
    return repack(buffer.getvalue())


def odt(paragraphs: list[str]) -> bytes:
    ns = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' \
         'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.text"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", FIXED_TIME), "application/vnd.oasis.opendocument.text")
        z.writestr(zipfile.ZipInfo("content.xml", FIXED_TIME), content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("META-INF/manifest.xml", FIXED_TIME), manifest,
                   compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


HEAD = """MIME-Version: 1.0
Date: {date}
Message-ID: <{mid}@croxleygreen-pc.example>
"""


def head(mid: str, date: str = "Mon, 4 Mar 2024 09:15:02 +0000") -> str:
    return HEAD.format(mid=mid, date=date)


# --- the corpus --------------------------------------------------------------------------------------


def outlook_winmail() -> bytes:
    tnef = b"\x78\x9f\x3e\x22" + b"\x01\x06\x90\x08\x00" + b"Microsoft Mail Note" + bytes(range(64))
    return crlf(f"""Received: from EXCH01.croxley.local (10.0.0.5) by EXCH02.croxley.local; Mon, 4 Mar 2024 09:15:03 +0000
From: "Jane Clerk" <Clerk@CroxleyGreen-PC.example>
To: "Cllr Bob Smith" <Bob.Smith@croxleygreen-pc.example>
Subject: Agenda for Thursday
Thread-Topic: Agenda for Thursday
Thread-Index: AdpuABCDEF0123456789==
Content-Language: en-GB
X-MS-Has-Attach: yes
X-MS-TNEF-Correlator: <DB9PR01MB1234@DB9PR01MB1234.eurprd01.prod.outlook.com>
{head("DB9PR01MB1234ABCD")}Content-Type: multipart/mixed; boundary="_004_DB9PR01MB1234_"

--_004_DB9PR01MB1234_
Content-Type: multipart/related; boundary="_003_DB9PR01MB1234_"; type="multipart/alternative"

--_003_DB9PR01MB1234_
Content-Type: multipart/alternative; boundary="_000_DB9PR01MB1234_"

--_000_DB9PR01MB1234_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Dear Bob,

Please find the agenda for Thursday's full council meeting attached. Item 4 =
is the allotments lease.

Kind regards
Jane Clerk
Parish Clerk

--_000_DB9PR01MB1234_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html xmlns:o=3D"urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal {{margin:0cm}}</style></he=
ad><body lang=3D"EN-GB"><p class=3D"MsoNormal">Dear Bob,</p><p class=3D"MsoNormal">Please find the agenda =
for Thursday's full council meeting attached. Item 4 is the allotments lease.</p><p><img width=3D"64" src=
=3D"cid:image001.png@01DA6E2F.12345670" alt=3D"Croxley Green Parish Council crest"></p></body></html>

--_000_DB9PR01MB1234_--

--_003_DB9PR01MB1234_
Content-Type: image/png; name="image001.png"
Content-Description: Croxley Green Parish Council crest
Content-Disposition: inline; filename="image001.png"; size=69
Content-ID: <image001.png@01DA6E2F.12345670>
Content-Transfer-Encoding: base64

{b64(png_1x1())}
--_003_DB9PR01MB1234_--

--_004_DB9PR01MB1234_
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Disposition: attachment; filename="winmail.dat"
Content-Transfer-Encoding: base64

{b64(tnef)}
--_004_DB9PR01MB1234_--
""")


def gmail_reply_quoted() -> bytes:
    return crlf(f"""MIME-Version: 1.0
References: <CAB1x=abc@mail.gmail.com> <CAB2y=def@mail.gmail.com>
In-Reply-To: <CAB2y=def@mail.gmail.com>
From: Bob Smith <bob.smith.cllr@gmail.com>
Date: Tue, 5 Mar 2024 18:42:11 +0000
Message-ID: <CAC3z=ghi@mail.gmail.com>
Subject: Re: Footpath closure on Baldwins Lane
To: Jane Clerk <clerk@croxleygreen-pc.example>
Cc: Residents Group <Residents-Group@example.org>
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f6"

--000000000000a1b2c3d4e5f6
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{qp('''Thanks Jane – I'll raise the footpath at Thursday's meeting.

On Tue, 5 Mar 2024 at 09:02, Jane Clerk <clerk@croxleygreen-pc.example> wrote:
> Dear Bob,
> The footpath on Baldwins Lane will be closed from 11 March for drainage works.
>
> Jane
''', 'utf-8')}
--000000000000a1b2c3d4e5f6
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{qp('''<div dir="ltr">Thanks Jane – I&#39;ll raise the footpath at Thursday&#39;s meeting.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, 5 Mar 2024 at 09:02, Jane Clerk &lt;<a href="mailto:clerk@croxleygreen-pc.example">clerk@croxleygreen-pc.example</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Dear Bob,<br>The footpath on Baldwins Lane will be closed from 11 March for drainage works.<br><br>Jane</blockquote></div>
''', 'utf-8')}
--000000000000a1b2c3d4e5f6--
""")


def _simple(sender: str, to: str, subject: str, date: str, mid: str, body: str) -> str:
    return f"""From: {sender}
To: {to}
Subject: {subject}
Date: {date}
Message-ID: <{mid}@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

{body}
"""


def forwarded_chain_3() -> bytes:
    level3 = _simple("Acme Drainage <quotes@acme-drainage.example>", "resident@example.org",
                     "Quote for ditch clearance", "Fri, 1 Mar 2024 08:00:00 +0000", "acme-1",
                     "Our quote for clearing the ditch on Baldwins Lane is 1,450 pounds plus VAT.")
    level2 = f"""From: A Resident <resident@example.org>
To: Bob Smith <bob.smith@croxleygreen-pc.example>
Subject: Fwd: Quote for ditch clearance
Date: Sat, 2 Mar 2024 10:00:00 +0000
Message-ID: <resident-2@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="level2"

--level2
Content-Type: text/plain; charset=utf-8

Bob, the contractor's quote is below. Can the council pay for this?

--level2
Content-Type: message/rfc822

{level3}
--level2--
"""
    level1 = f"""From: Bob Smith <bob.smith@croxleygreen-pc.example>
To: Jane Clerk <clerk@croxleygreen-pc.example>
Subject: Fwd: Fwd: Quote for ditch clearance
Date: Sat, 2 Mar 2024 12:00:00 +0000
Message-ID: <bob-3@croxleygreen-pc.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="level1"

--level1
Content-Type: text/plain; charset=utf-8

Jane, forwarding the resident's note for the finance committee.

--level1
Content-Type: message/rfc822

{level2}
--level1--
"""
    return crlf(f"""From: Jane Clerk <clerk@croxleygreen-pc.example>
To: Finance Committee <finance@croxleygreen-pc.example>
Subject: Fwd: Fwd: Fwd: Quote for ditch clearance
{head("jane-4")}Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=utf-8

For Thursday's finance committee: the ditch quote, with the history.

--outer
Content-Type: message/rfc822
Content-Disposition: attachment; filename="Fwd Quote.eml"

{level1}
--outer--
""")


ICS = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
METHOD:REQUEST
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20240314T193000
DTEND;TZID=Europe/London:20240314T210000
ORGANIZER;CN=Jane Clerk:mailto:clerk@croxleygreen-pc.example
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN="Smith, Bob":mailto:bob.smith@
 croxleygreen-pc.example
ATTENDEE;CN=Ann Jones;PARTSTAT=ACCEPTED:mailto:ann.jones@croxleygreen-pc.example
SUMMARY:Planning committee
LOCATION:Community Hall\\, Barton Way
DESCRIPTION:Agenda:\\n1. Application 24/0123 (extension\\, 5 Dickinson Square)
 \\n2. Tree works
UID:abc123@google.com
END:VEVENT
END:VCALENDAR
"""


def calendar_invite() -> bytes:
    ics = ICS.replace("\n", "\r\n").encode()
    return crlf(f"""From: Jane Clerk <clerk@croxleygreen-pc.example>
To: bob.smith@croxleygreen-pc.example, ann.jones@croxleygreen-pc.example
Subject: Invitation: Planning committee @ Thu 14 Mar 2024 19:30 - 21:00 (GMT)
Reply-To: Jane Clerk <clerk@croxleygreen-pc.example>
{head("cal-1")}Content-Type: multipart/mixed; boundary="0000000000009f8e7d"

--0000000000009f8e7d
Content-Type: multipart/alternative; boundary="0000000000009f8e7c"

--0000000000009f8e7c
Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes

You have been invited to the following event.

Title: Planning committee

--0000000000009f8e7c
Content-Type: text/html; charset="UTF-8"

<p>You have been invited to the following event.</p><h3>Planning committee</h3>

--0000000000009f8e7c
Content-Type: text/calendar; charset="UTF-8"; method=REQUEST
Content-Transfer-Encoding: base64

{b64(ics)}
--0000000000009f8e7c--

--0000000000009f8e7d
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

{b64(ics)}
--0000000000009f8e7d--
""")


def bounce_dsn() -> bytes:
    return crlf("""Return-Path: <>
From: MAILER-DAEMON@mx.croxleygreen-pc.example (Mail Delivery System)
To: clerk@croxleygreen-pc.example
Subject: Undelivered Mail Returned to Sender
Date: Wed, 6 Mar 2024 11:02:03 +0000 (GMT)
Message-Id: <20240306110203.4Tq9XY1234@mx.croxleygreen-pc.example>
MIME-Version: 1.0
Auto-Submitted: auto-replied
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4Tq9XY1234.1709722923/mx.croxleygreen-pc.example"

This is a MIME-encapsulated message.

--4Tq9XY1234.1709722923/mx.croxleygreen-pc.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.croxleygreen-pc.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<old.councillor@example.net>: host mx.example.net said: 550 5.1.1 User unknown

--4Tq9XY1234.1709722923/mx.croxleygreen-pc.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.croxleygreen-pc.example
Arrival-Date: Wed,  6 Mar 2024 11:02:01 +0000 (GMT)

Final-Recipient: rfc822; old.councillor@example.net
Original-Recipient: rfc822;Old.Councillor@example.net
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.net
Diagnostic-Code: smtp; 550 5.1.1 <old.councillor@example.net>: Recipient address
    rejected: User unknown

--4Tq9XY1234.1709722923/mx.croxleygreen-pc.example
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Jane Clerk <clerk@croxleygreen-pc.example>
To: old.councillor@example.net
Subject: Minutes of the February meeting
Date: Wed, 6 Mar 2024 11:01:58 +0000
Message-ID: <minutes-feb@croxleygreen-pc.example>

--4Tq9XY1234.1709722923/mx.croxleygreen-pc.example--
""")


def charset_cp1252() -> bytes:
    body = "The hall hire is £120 – payable by 31 March. “Thanks” for the €5 deposit.\n"
    subject = "=?windows-1252?Q?Hall_hire_=96_=A3120?="
    return crlf(f"""From: Treasurer <treasurer@croxleygreen-pc.example>
To: clerk@croxleygreen-pc.example
Subject: {subject}
{head("cp1252-1")}Content-Type: text/plain; charset="Windows-1252"
Content-Transfer-Encoding: quoted-printable

{qp(body, 'cp1252')}""")


def charset_iso2022jp() -> bytes:
    body = "議会の会議は木曜日です。\n".encode("iso-2022-jp").decode("ascii")
    return crlf(f"""From: {word("田中", "iso-2022-jp")} <tanaka@example.jp>
To: clerk@croxleygreen-pc.example
Subject: {word("会議のお知らせ", "iso-2022-jp")}
{head("jp-1")}Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit

{body}""")


def charset_koi8r() -> bytes:
    top = crlf(f"""From: {word("Иван Петров", "koi8-r")} <ivan@example.ru>
To: clerk@croxleygreen-pc.example
Subject: {word("Собрание совета", "koi8-r")}
{head("koi8-1")}Content-Type: text/plain; charset="koi8-r"
Content-Transfer-Encoding: 8bit

""")
    return top + crlf("Заседание совета в четверг в 19:30.\n", "koi8-r")


def charset_mixed_legacy() -> bytes:
    return crlf(f"""From: clerk@croxleygreen-pc.example
To: twinning@croxleygreen-pc.example
Subject: Twinning association notes
{head("mixed-1")}Content-Type: multipart/mixed; boundary="parts"

--parts
Content-Type: text/plain; charset=gb2312
Content-Transfer-Encoding: base64

{b64("会议在星期四举行。".encode("gb2312"))}
--parts
Content-Type: text/plain; charset=iso-8859-15
Content-Transfer-Encoding: quoted-printable

{qp("Prix du repas : 15 € par personne.", "iso-8859-15")}
--parts
Content-Type: text/plain; charset=utf-7

{"Smile: ☺ see you there.".encode("utf-7").decode("ascii")}
--parts
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

{qp("Café in the square at 10.", "latin-1")}
--parts--
""")


def charset_unknown() -> bytes:
    top = crlf(f"""From: Old System <noreply@legacy.example>
To: clerk@croxleygreen-pc.example
Subject: =?utf-8?B?###?= minutes
Date: next Thursday afternoon
Message-ID: <unknown-1@legacy.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="x-foo"
Content-Transfer-Encoding: 8bit

""")
    return top + crlf("Caf\xe9 cr\xe8me meeting notes.\n", "latin-1")


def filename_rfc2231() -> bytes:
    return crlf(f"""From: clerk@croxleygreen-pc.example
To: council@croxleygreen-pc.example
Subject: Minutes in two languages
{head("2231-1")}Content-Type: multipart/mixed; boundary="b2231"

--b2231
Content-Type: text/plain; charset=utf-8

Both sets of minutes attached.

--b2231
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename*=UTF-8''Proc%C3%A8s-verbal%20%E2%80%93%20mars.txt
Content-Transfer-Encoding: base64

{b64("Procès-verbal de la réunion du conseil.".encode())}
--b2231
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment;
 filename*0*=utf-8''%D0%9F%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB;
 filename*1*=%20%E2%84%96%205.txt
Content-Transfer-Encoding: base64

{b64("Протокол заседания номер 5.".encode())}
--b2231--
""")


SPOOFED = "invoice\u202etxt.exe"  # a right-to-left override makes this look like "invoiceexe.txt"


def filename_rfc2047() -> bytes:
    return crlf(f"""From: clerk@croxleygreen-pc.example
To: council@croxleygreen-pc.example
Subject: Files
{head("2047-1")}Content-Type: multipart/mixed; boundary="b2047"

--b2047
Content-Type: text/plain; charset=utf-8

Three files.

--b2047
Content-Type: text/plain; charset=utf-8; name="{word("Résumé de réunion.txt")}"
Content-Disposition: attachment; filename="{word("Résumé de réunion.txt")}"

Résumé: the hall roof needs repair.
--b2047
Content-Type: text/plain; name="../../etc/passwd"
Content-Disposition: attachment; filename="../../etc/passwd"

root:x:0:0
--b2047
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="{word(SPOOFED)}"
Content-Transfer-Encoding: base64

TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
--b2047--
""")


def broken_no_closing_boundary() -> bytes:
    return crlf(f"""From: resident@example.org
To: clerk@croxleygreen-pc.example
Subject: Pothole on the High Street
{head("noclose-1")}Content-Type: multipart/mixed; boundary="never-closed"

--never-closed
Content-Type: text/plain; charset=utf-8

There is a deep pothole outside number 12.

--never-closed
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename="location.txt"

Outside 12 High Street, near the bus stop.
""")


def broken_wrong_cte() -> bytes:
    return crlf(f"""From: councillor@example.org
To: clerk@croxleygreen-pc.example
Subject: Minutes approval
{head("cte-1")}Content-Type: multipart/mixed; boundary="cte"

--cte
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

Please approve the minutes of the last meeting, thanks.
I have no changes to suggest.

--cte
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printible

Second note: the budget line for grit bins =3D 300.
--cte--
""")


def broken_base64_garbage() -> bytes:
    good = b64(("The annual report of the parish council. " * 6).encode())
    lines = good.splitlines()
    lines[1] = lines[1][:20] + "!!@@" + lines[1][20:]
    damaged = "\n".join(lines)[:-3] + "\n"  # a broken last quantum, too
    return crlf(f"""From: clerk@croxleygreen-pc.example
To: council@croxleygreen-pc.example
Subject: Annual report
{head("garbage-1")}Content-Type: multipart/mixed; boundary="g"

--g
Content-Type: text/plain

The report is attached.

--g
Content-Type: text/plain; charset=utf-8; name="report.txt"
Content-Disposition: attachment; filename="report.txt"
Content-Transfer-Encoding: base64

{damaged}
--g--
""")


def broken_missing_boundary() -> bytes:
    return crlf(f"""From: resident@example.org
To: clerk@croxleygreen-pc.example
Subject: Street lights
{head("noboundary-1")}Content-Type: multipart/mixed

The street lights on Barton Way have been out since Monday.
""")


def truncated_mid_attachment() -> bytes:
    attachment = b64(pdf(["Objection to planning application 24/0123."] * 3))
    return crlf(f"""From: resident@example.org
To: planning@croxleygreen-pc.example
Subject: Objection
{head("trunc-1")}Content-Type: multipart/mixed; boundary="t"

--t
Content-Type: text/plain; charset=utf-8

My objection is attached.

--t
Content-Type: application/pdf; name="objection.pdf"
Content-Disposition: attachment; filename="objection.pdf"
Content-Transfer-Encoding: base64

{attachment[: len(attachment) // 2 - 5]}""")


def header_injection() -> bytes:
    return crlf(f"""From: Resident <resident@example.org>
From: Parish Clerk <clerk@croxleygreen-pc.example>
To: clerk@croxleygreen-pc.example
Subject: =?utf-8?q?Complaint=0D=0ABcc:_everyone@example.net?=
X-Contact-Form: name=Resident\rBcc: attacker@evil.example
Reply-To: resident@example.org\x00
{head("inject-1")}Content-Type: text/plain; charset=utf-8

The bins were not collected.
""")


def no_body() -> bytes:
    return crlf(f"""From: Bob Smith <bob.smith@croxleygreen-pc.example>
To: clerk@croxleygreen-pc.example
Subject: (no body)
{head("nobody-1")}
""")


def html_only() -> bytes:
    return crlf(f"""From: Newsletter <news@croxleygreen-pc.example>
To: residents@example.org
Subject: March newsletter
{head("html-1")}Content-Type: text/html; charset=utf-8

<!DOCTYPE html><html><head><title>Newsletter</title><style>body {{ color: red }}</style>
<script>document.write("tracking")</script></head><body>
<h1>March newsletter</h1><p>The annual parish meeting is on 20 March &ndash; tickets &pound;0.</p>
<ul><li>Litter pick on Saturday</li><li>New benches on the green</li></ul>
<p>Read the <a href="https://croxleygreen-pc.example/agenda">full agenda</a> or
<a href="mailto:clerk@croxleygreen-pc.example">clerk@croxleygreen-pc.example</a>.</p>
<img src="https://tracker.example/pixel.gif" alt="">
</body></html>
""")


def pdf_attachment() -> bytes:
    document = pdf(["Planning application 24/0123", "Objection letter from a resident of Dickinson Square"])
    return crlf(f"""From: planning@croxleygreen-pc.example
To: council@croxleygreen-pc.example
Subject: Objection letter
{head("pdf-1")}Content-Type: multipart/mixed; boundary="pdf"

--pdf
Content-Type: text/plain; charset=utf-8

The objection letter is attached as a PDF.

--pdf
Content-Type: application/pdf; name="objection.pdf"
Content-Disposition: attachment; filename="objection.pdf"
Content-Transfer-Encoding: base64

{b64(document)}
--pdf--
""")


def docx_attachment() -> bytes:
    document = docx(["Allotments lease", "The lease runs for ten years from 1 April 2024.",
                     "Rent is reviewed every three years."], [("Plot", "Tenant"), ("14", "J. Green")])
    return crlf(f"""From: clerk@croxleygreen-pc.example
To: council@croxleygreen-pc.example
Subject: Draft allotments lease
{head("docx-1")}Content-Type: multipart/mixed; boundary="docx"

--docx
Content-Type: text/plain; charset=utf-8

Draft lease attached.

--docx
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
 name="lease.docx"
Content-Disposition: attachment; filename="lease.docx"
Content-Transfer-Encoding: base64

{b64(document)}
--docx--
""")


def odt_attachment() -> bytes:
    document = odt(["Grass cutting schedule", "The green is cut every second Tuesday."])
    return crlf(f"""From: clerk@croxleygreen-pc.example
To: council@croxleygreen-pc.example
Subject: Grass cutting
{head("odt-1")}Content-Type: multipart/mixed; boundary="odt"

--odt
Content-Type: text/plain; charset=utf-8

Schedule attached.

--odt
Content-Type: application/vnd.oasis.opendocument.text; name="grass.odt"
Content-Disposition: attachment; filename="grass.odt"
Content-Transfer-Encoding: base64

{b64(document)}
--odt--
""")


def zip_attachment() -> bytes:
    archive = zip_of({
        "minutes.txt": "Minutes: the council agreed to buy two new benches.".encode(),
        "budget.docx": docx(["Budget", "Benches: 800 pounds."]),
        "photo.jpg": b"\xff\xd8\xff\xe0" + bytes(200),
        "older/archive.zip": zip_of({"old.txt": b"old minutes"}),
    })
    return crlf(f"""From: clerk@croxleygreen-pc.example
To: council@croxleygreen-pc.example
Subject: Papers for Thursday
{head("zip-1")}Content-Type: multipart/mixed; boundary="zip"

--zip
Content-Type: text/plain; charset=utf-8

The papers are in the zip.

--zip
Content-Type: application/zip; name="papers.zip"
Content-Disposition: attachment; filename="papers.zip"
Content-Transfer-Encoding: base64

{b64(archive)}
--zip--
""")


def eml_attachment() -> bytes:
    original = crlf(_simple("Highways <highways@county.example>", "clerk@croxleygreen-pc.example",
                            "Road closure notice", "Thu, 29 Feb 2024 14:00:00 +0000", "road-1",
                            "Baldwins Lane will be closed on 11 March for resurfacing."))
    second = crlf(_simple("Police <neighbourhood@police.example>", "clerk@croxleygreen-pc.example",
                          "Speed watch", "Thu, 29 Feb 2024 15:00:00 +0000", "speed-1",
                          "Speed watch volunteers meet on Tuesday."))
    return crlf(f"""From: clerk@croxleygreen-pc.example
To: council@croxleygreen-pc.example
Subject: Two notices for information
{head("emlatt-1")}Content-Type: multipart/mixed; boundary="eml"

--eml
Content-Type: text/plain; charset=utf-8

Two notices attached for information.

--eml
Content-Type: message/rfc822
Content-Disposition: attachment; filename="road closure.eml"
Content-Transfer-Encoding: base64

{b64(original)}
--eml
Content-Type: application/octet-stream; name="speed watch.eml"
Content-Disposition: attachment; filename="speed watch.eml"
Content-Transfer-Encoding: base64

{b64(second)}
--eml--
""")


def headers_8bit() -> bytes:
    return crlf(f"""From: Zoë Müller <zoe@example.org>
To: clerk@croxleygreen-pc.example
Subject: Réunion du conseil – ordre du jour
{head("8bit-1")}Content-Type: multipart/mixed; boundary="eight"

--eight
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Voici l'ordre du jour.

--eight
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename="ordre du jour – mars.txt"
Content-Transfer-Encoding: 8bit

1. Approbation du procès-verbal
--eight--
""")


CORPUS = {
    "outlook_winmail.eml": outlook_winmail,
    "gmail_reply_quoted.eml": gmail_reply_quoted,
    "forwarded_chain_3.eml": forwarded_chain_3,
    "calendar_invite.eml": calendar_invite,
    "bounce_dsn.eml": bounce_dsn,
    "charset_cp1252.eml": charset_cp1252,
    "charset_iso2022jp.eml": charset_iso2022jp,
    "charset_koi8r.eml": charset_koi8r,
    "charset_mixed_legacy.eml": charset_mixed_legacy,
    "charset_unknown.eml": charset_unknown,
    "filename_rfc2231.eml": filename_rfc2231,
    "filename_rfc2047.eml": filename_rfc2047,
    "broken_no_closing_boundary.eml": broken_no_closing_boundary,
    "broken_wrong_cte.eml": broken_wrong_cte,
    "broken_base64_garbage.eml": broken_base64_garbage,
    "broken_missing_boundary.eml": broken_missing_boundary,
    "truncated_mid_attachment.eml": truncated_mid_attachment,
    "header_injection.eml": header_injection,
    "no_body.eml": no_body,
    "html_only.eml": html_only,
    "pdf_attachment.eml": pdf_attachment,
    "docx_attachment.eml": docx_attachment,
    "odt_attachment.eml": odt_attachment,
    "zip_attachment.eml": zip_attachment,
    "eml_attachment.eml": eml_attachment,
    "headers_8bit.eml": headers_8bit,
}


# --- built at test time, never committed ----------------------------------------------------------


def with_attachment(filename: str, content_type: str, data: bytes, subject: str = "Attachment") -> bytes:
    """A plain message carrying one base64 attachment."""
    return crlf(f"""From: clerk@croxleygreen-pc.example
To: council@croxleygreen-pc.example
Subject: {subject}
{head("generated-1")}Content-Type: multipart/mixed; boundary="gen"

--gen
Content-Type: text/plain; charset=utf-8

See attached.

--gen
Content-Type: {content_type}; name="{filename}"
Content-Disposition: attachment; filename="{filename}"
Content-Transfer-Encoding: base64

""") + base64.encodebytes(data).replace(b"\n", b"\r\n") + b"\r\n--gen--\r\n"


def zip_bomb(expanded: int = 200 * 2**20, *, zip64: bool = True) -> bytes:
    """A zip that inflates ``expanded`` bytes of zeros from a few hundred kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        info = zipfile.ZipInfo("zeros.txt", FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=zip64) as member:
            block = bytes(2**20)
            for _ in range(expanded // len(block)):
                member.write(block)
    return out.getvalue()


def lying_zip_bomb(expanded: int = 60 * 2**20) -> bytes:
    """A zip bomb whose header claims its member is tiny: only streaming with a cap catches it."""
    data = bytearray(zip_bomb(expanded, zip64=False))
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(sig)
        if at >= 0 and data[at + offset:at + offset + 4] != b"\xff\xff\xff\xff":
            data[at + offset:at + offset + 4] = struct.pack("<I", 1000)
    return bytes(data)


def docx_bomb(expanded: int = 80 * 2**20) -> bytes:
    """A .docx whose word/document.xml inflates past the limits."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        info = zipfile.ZipInfo("word/document.xml", FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as member:
            member.write(b"<w:document>")
            block = b" " * 2**20
            for _ in range(expanded // len(block)):
                member.write(block)
            member.write(b"</w:document>")
    return out.getvalue()


def encrypted_pdf(password: str = "s3cret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(["Confidential: staff salaries"]))))
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_all(folder: Path = HERE) -> list[Path]:
    written = []
    for name, build in CORPUS.items():
        path = folder / name
        path.write_bytes(build())
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"{path.name}: {path.stat().st_size:,} bytes")
