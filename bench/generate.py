#!/usr/bin/env python3
"""Generate a synthetic portfolio as a Git repository, for benchmarks (issue #5).

    python3 bench/generate.py --tiltak 10000 --commits 50000 --seed 1 --out /tmp/p10k

The repository is written in one `git fast-import` stream (no git process per
commit), then checked out. Same seed and sizes give a byte-identical history:
every date comes from the seed, nothing from the clock.

Content follows the process definition (default: src/domain/templates/digdir.yaml,
copied verbatim as portfolio.yaml): tiltak are created in the first phase
(`new DD-042: <title>`), move through the phases by gate commits (a rename
between phase folders with the next phase's criteria section appended, the
commit message and trailers of `portfolio advance`), and in between get status
changes, ticked criteria with their evidence, milestone updates and hold/stop
commits (the messages of `portfolio hold|stop|resume`). The final tree is a
funnel: most tiltak in early phases. `portfolio check` on the result reports
no errors (warnings such as stale status or overdue milestones are expected).

Besides the repository it writes a small JSON file (default
`<out>.bench-meta.json`, outside the repository) naming a tiltak whose exit
criteria are met (ready for `portfolio advance`), the last commit date and so on.

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TEMPLATE = os.path.join(HERE, "..", "src", "domain", "templates", "digdir.yaml")

# ---------------------------------------------------------------------------
# A tiny reader for the subset of YAML that portfolio.yaml templates use:
# block mappings and sequences, flow mappings `{ a: b }`, flow lists `[a, b]`,
# plain and quoted scalars, comments. Enough to learn phases, criteria, fields.
# ---------------------------------------------------------------------------


def _strip_comment(line: str) -> str:
    out, quote = [], None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        out.append(ch)
    return "".join(out).rstrip()


def _split_flow(s: str) -> list[str]:
    parts, depth, quote, cur = [], 0, None, []
    for ch in s:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def _scalar(s: str):
    s = s.strip()
    if s.startswith("{") and s.endswith("}"):
        out = {}
        for part in _split_flow(s[1:-1]):
            k, _, v = part.partition(":")
            out[_scalar(k)] = _scalar(v)
        return out
    if s.startswith("[") and s.endswith("]"):
        return [_scalar(p) for p in _split_flow(s[1:-1])]
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    if s in ("true", "false"):
        return s == "true"
    if s in ("", "~", "null"):
        return None
    return s


def _key_value(text: str):
    m = re.match(r'^("[^"]*"|\'[^\']*\'|[^:]+?)\s*:(?:\s+(.*))?$', text)
    if not m:
        return None
    return _scalar(m.group(1)), (m.group(2) or "").strip()


def read_yaml(text: str):
    lines = []
    for raw in text.splitlines():
        line = _strip_comment(raw)
        if line.strip():
            lines.append((len(line) - len(line.lstrip(" ")), line.strip()))
    pos = 0

    def block(indent: int):
        nonlocal pos
        if pos >= len(lines):
            return None
        if lines[pos][1].startswith("- ") or lines[pos][1] == "-":
            seq = []
            while pos < len(lines) and lines[pos][0] == indent and lines[pos][1].startswith("-"):
                rest = lines[pos][1][1:].strip()
                item_indent = indent + 2
                kv = _key_value(rest) if rest and rest[0] not in "{[\"'" else None
                if kv is not None:
                    # A mapping starting on the dash line: rewrite it as its own line.
                    lines[pos] = (item_indent, rest)
                    seq.append(block(item_indent))
                else:
                    pos += 1
                    seq.append(_scalar(rest) if rest else block(lines[pos][0] if pos < len(lines) else item_indent))
            return seq
        mapping = {}
        while pos < len(lines) and lines[pos][0] == indent and not lines[pos][1].startswith("- "):
            kv = _key_value(lines[pos][1])
            if kv is None:
                raise ValueError(f"cannot read YAML line: {lines[pos][1]!r}")
            key, rest = kv
            pos += 1
            if rest:
                mapping[key] = _scalar(rest)
            elif pos < len(lines) and (
                lines[pos][0] > indent or (lines[pos][0] == indent and lines[pos][1].startswith("- "))
            ):
                mapping[key] = block(lines[pos][0])
            else:
                mapping[key] = None
        return mapping

    return block(lines[0][0]) if lines else {}


# ---------------------------------------------------------------------------
# Vocabulary: Norwegian public-sector flavour.
# ---------------------------------------------------------------------------

FIRST = (
    "Kari Ingrid Anne Marit Liv Hilde Silje Ida Nora Emma Sara Maria Ragnhild Solveig Tone Hanne Kristin Camilla "
    "Ola Lars Per Jon Knut Bjørn Arne Erik Hans Thomas Martin Anders Magnus Jonas Sindre Øystein Håkon Eirik Åse Geir"
).split()
LAST = (
    "Nordmann Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen "
    "Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen Henriksen Lund Sørensen "
    "Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen Martinsen Paulsen Bakken Kristoffersen "
    "Mathisen Lie Amundsen Nguyen Rasmussen Ali Lunde Solheim Berge Moe Nygård Bakke Kristensen Fredriksen Holm "
    "Lien Hauge Christensen Andresen Nielsen Knudsen Evensen Sæther Aas Myhre Hanssen Ahmed Haugland Thomassen "
    "Sivertsen Simonsen Danielsen Berntsen Sandvik Rønning Arnesen Antonsen Næss Vik Haug Ellingsen Thorsen Edvardsen"
).split()
AGENCIES = [
    ("Digdir", "digdir.no"), ("NAV", "nav.no"), ("Skatteetaten", "skatteetaten.no"),
    ("Brønnøysundregistrene", "brreg.no"), ("Statens vegvesen", "vegvesen.no"), ("Lånekassen", "lanekassen.no"),
    ("Husbanken", "husbanken.no"), ("UDI", "udi.no"), ("Politiet", "politiet.no"), ("Kartverket", "kartverket.no"),
    ("Helsedirektoratet", "helsedir.no"), ("Norsk helsenett", "nhn.no"), ("KS", "ks.no"),
    ("Direktoratet for byggkvalitet", "dibk.no"), ("Arbeidstilsynet", "arbeidstilsynet.no"),
    ("Mattilsynet", "mattilsynet.no"), ("Statistisk sentralbyrå", "ssb.no"), ("Fiskeridirektoratet", "fiskeridir.no"),
    ("Landbruksdirektoratet", "landbruksdirektoratet.no"), ("DFØ", "dfo.no"), ("Oslo kommune", "oslo.kommune.no"),
    ("Bergen kommune", "bergen.kommune.no"), ("Trondheim kommune", "trondheim.kommune.no"),
    ("Statsforvalteren i Vestland", "statsforvalteren.no"), ("Domstoladministrasjonen", "domstol.no"),
    ("Kriminalomsorgsdirektoratet", "kriminalomsorgen.no"), ("Tolletaten", "toll.no"),
    ("Direktoratet for samfunnssikkerhet og beredskap", "dsb.no"), ("Nasjonal kommunikasjonsmyndighet", "nkom.no"),
    ("Sjøfartsdirektoratet", "sdir.no"),
]
OFFICE = ["Kari Nordmann", "Ingrid Solberg", "Lars Vik", "Øystein Haugland", "Marit Lunde", "Jonas Berg"]

YTELSER = (
    "barnetrygd|byggetillatelse|skjenkebevilling|studielån|bostøtte|startlån|arbeidstillatelse|parkeringstillatelse|"
    "foreldrepenger|grunnstønad|tilskudd til kulturtiltak|fritak fra eiendomsskatt|serveringsbevilling|"
    "midlertidig oppholdstillatelse|førerkort|fiskekvote|produksjonstilskudd|jakttillatelse|sosialhjelp|"
    "kontantstøtte|helseattest|tillatelse til utslipp|dispensasjon fra reguleringsplan|ledsagerbevis|"
    "TT-kort|plass i barnehage|skolefritidsordning|omsorgsstønad|utdanningsstøtte|lærlingtilskudd|"
    "spillemidler|næringstilskudd|feiing og tilsyn|kommunal bolig|borgerlig vigsel|navneendring|"
    "apostillestempel|politiattest|våpenkort|konkursbehandling|tinglysing|eierskifte av kjøretøy"
).split("|")
KOMPONENTER = (
    "samtykkeløsning|varslingstjeneste|meldingsformidling|fullmaktsregister|adresseoppslag|tilgangsstyring|"
    "hendelsesliste|datakatalog|begrepskatalog|innloggingsløsning|signeringstjeneste|betalingsløsning|"
    "saksarkiv|dokumentlager|kontaktregister|autorisasjonstjeneste|API-forvaltning|tokenutveksling|"
    "logganalyse|driftsovervåking|kodeliste|kvalitetsindikator|tjenestekatalog|chatbot|skjemaløsning"
).split("|")
LOSNINGER = (
    "Altinn|ID-porten|Maskinporten|MinID|Digital postkasse|Felles datakatalog|eSignering|Kontakt- og "
    "reservasjonsregisteret|Folkeregisteret|Enhetsregisteret|Ansattporten|Samarbeidsportalen|data.norge.no|"
    "Helsenorge|Min side|Skatteetatens API|Lånekassens selvbetjening|Matrikkelen|Eksportportalen"
).split("|")
MALGRUPPER = (
    "innbyggere|næringsdrivende|kommuner|frivillige organisasjoner|utenlandske brukere|tjenesteeiere|"
    "leverandører|studenter|pårørende|fastleger|landbruket|sjøfolk|nyankomne innvandrere|eldre"
).split("|")
PROSESSER = (
    "saksbehandling|innhenting av opplysninger|varsling om frister|utbetaling|klagebehandling|"
    "rapportering|tilsyn|arkivering|journalføring|kvalitetssikring|fakturering|registrering"
).split("|")
GAMLE = "SAML|papirskjemaer|manuell postgang|gamle fagsystemer|fildeling på e-post|faks|egne innloggingsløsninger".split("|")

TITLE_PATTERNS = [
    lambda r: f"Digital søknad om {r.choice(YTELSER)}",
    lambda r: f"Felles {r.choice(KOMPONENTER)} for {r.choice(MALGRUPPER)}",
    lambda r: f"{r.choice(KOMPONENTER).capitalize()} i {r.choice(LOSNINGER)}",
    lambda r: f"Automatisk {r.choice(PROSESSER)} av {r.choice(YTELSER)}",
    lambda r: f"Ny {r.choice(KOMPONENTER)} for {r.choice(MALGRUPPER)}",
    lambda r: f"Utfasing av {r.choice(GAMLE)} i {r.choice(LOSNINGER)}",
    lambda r: f"Modernisering av {r.choice(PROSESSER)} i {r.choice(AGENCIES)[0]}",
    lambda r: f"Selvbetjening for {r.choice(MALGRUPPER)} i {r.choice(LOSNINGER)}",
    lambda r: f"Deling av data om {r.choice(YTELSER)} mellom etater",
    lambda r: f"Mobilvennlig {r.choice(PROSESSER)} for {r.choice(MALGRUPPER)}",
]

REASONS_STATUS = [
    "Avhengig av avklaring om hjemmel for deling av opplysninger",
    "Leverandøren er forsinket med integrasjonen mot fagsystemet",
    "Nøkkelpersoner er omdisponert til andre oppdrag",
    "Finansiering for neste år er ikke avklart",
    "Brukertesten avdekket behov for ny runde med innsikt",
    "Anskaffelsen er forsinket etter klage fra tilbyder",
    "Personvernkonsekvensvurderingen er ikke ferdigstilt",
    "Avhengig tiltak i en annen etat har endret plan",
    "Kostnadene ligger over budsjett etter ny estimering",
    "Testmiljøet hos samarbeidende etat er ustabilt",
]
RISK_DESC = [
    "Uavklart juridisk grunnlag for behandling av personopplysninger",
    "Avhengighet til fellesløsninger med egen utviklingsplan",
    "Begrenset kapasitet hos leverandør i implementeringsfasen",
    "Lav oppslutning fra kommunene kan svekke gevinstene",
    "Sikkerhetskrav kan gi økt kompleksitet og kostnad",
    "Endringer i EU-regelverk kan kreve ny løsning",
]
RISK_MIT = [
    "Dialog med departementet og egen juridisk utredning",
    "Faste avstemmingsmøter med produktteamene og felles veikart",
    "Opsjon på ekstra kapasitet i rammeavtalen",
    "Tidlig involvering av KS og pilotkommuner",
    "Sikkerhetsarkitekt deltar i teamet fra start",
    "Deltakelse i europeiske arbeidsgrupper og løpende vurdering",
]
STATE_REASONS = {
    "on_hold": [
        "Venter på avklaring av finansiering i statsbudsjettet",
        "Ressursene er midlertidig flyttet til et tiltak med høyere prioritet",
        "Avventer ny forskrift før arbeidet fortsetter",
    ],
    "stopped": [
        "Behovet dekkes av en felles løsning i en annen etat",
        "Gevinstene står ikke i forhold til kostnadene etter ny vurdering",
        "Porteføljerådet prioriterte ned tiltaket i revidert strategi",
    ],
}
SENT = [
    "{M} opplever i dag at {p} tar for lang tid og krever mye manuelt arbeid.",
    "Tall fra {a} viser at omtrent {n} henvendelser i året gjelder {y}.",
    "Uten tiltaket må {m} fortsatt fylle inn de samme opplysningene flere ganger.",
    "Innsikten bygger på intervjuer med {n2} brukere og på statistikk fra {l}.",
    "Erfaringer fra {a} viser at gjenbruk av {k} reduserer kostnadene betydelig.",
    "Problemet er at {p} ikke henger sammen på tvers av etatene.",
    "Løsningen må fungere for {m} og følge kravene til universell utforming.",
    "Vi vurderer å bygge på {k} i {l} i stedet for å utvikle noe nytt.",
    "Arbeidet gjøres i tett samarbeid med {a} og representanter for {m}.",
    "Personvern og informasjonssikkerhet vurderes sammen med personvernombudet.",
    "Neste fase skal avklare omfang, kostnader og hvem som forvalter løsningen.",
    "Resultatene legges fram for porteføljerådet før beslutning om videre arbeid.",
    "Dagens praksis med {g} gir dobbeltarbeid og forsinkelser i {p}.",
    "Målet er at {m} skal få svar på søknad om {y} samme dag.",
]
SECTION_LEAD = {
    "Behov": "Behovet gjelder {y} for {m}.",
    "Innsikt": "Innsiktsarbeidet er gjort sammen med {a}.",
    "Problembeskrivelse": "Kjernen i problemet er {p} i dag.",
    "Arbeidsoppgaver og omfang": "Neste fase omfatter kartlegging, prototyping og avklaring av {k}.",
    "Konsepter": "To konsepter er vurdert: utvidelse av {l} eller en ny {k}.",
    "Arkitektur, sikkerhet og juridiske aspekter": "Løsningen bygger på nasjonal referansearkitektur og {l}.",
    "Gjenbruk": "Vi gjenbruker {k} i {l} der det er mulig.",
    "Interessenter og målgruppe": "Målgruppen er {m}; viktige interessenter er {a} og KS.",
    "Ressurser": "Teamet består av to utviklere, en designer og en produkteier fra {a}.",
    "Forvaltning og drift": "{a} forvalter løsningen etter overtakelse; driften ligger i eksisterende plattform.",
    "Retrospektiv": "Tiltaket leverte det viktigste av målene; tidlig involvering av {m} virket godt.",
}
MILESTONES = [
    "Konsept godkjent", "Prototype testet med brukere", "Anskaffelse gjennomført", "Pilot i drift",
    "Første etat tatt i bruk", "Løsning i produksjon", "Gammel løsning avviklet", "Gevinstrapport levert",
]
DELIVERIES = ["API v1", "Veileder for tjenesteeiere", "Selvbetjeningsløsning", "Integrasjon mot fagsystem"]
OKR_OBJ = [
    "{M} får svar raskere og enklere",
    "Færre manuelle oppgaver i saksbehandlingen",
    "Flere etater tar i bruk felles {k}",
    "Bedre datakvalitet i {l}",
]
OKR_KR = [
    "80 % av søknadene leveres digitalt innen utgangen av året",
    "Saksbehandlingstiden ned 30 %",
    "3 etater tatt i bruk innen Q4",
    "Brukertilfredshet over 4 av 5",
    "Halvparten færre henvendelser til kundesenteret",
]

FOLD = {"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "å": "a", "Å": "a"}


def slugify(title: str) -> str:
    """The tool's slug rule (src/slug.rs): fold to ASCII, lower-case, `-` between words, ≤ 60 chars."""
    folded = []
    for ch in title:
        if ch in FOLD:
            folded.append(FOLD[ch])
        elif ch.isascii():
            folded.append(ch)
        else:
            d = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            folded.append(d or "-")
    slug = []
    for ch in "".join(folded):
        if ch.isascii() and ch.isalnum():
            slug.append(ch.lower())
        elif slug and slug[-1] != "-":
            slug.append("-")
    return "".join(slug)[:60].strip("-")


def email_of(name: str, domain: str) -> str:
    return slugify(name).replace("-", ".") + "@" + domain


# ---------------------------------------------------------------------------
# Time: commits on weekdays, 08–17 Oslo time, over about three years.
# ---------------------------------------------------------------------------

START = dt.date(2023, 1, 2)
DAYS = 3 * 365


def oslo_offset(day: dt.date) -> int:
    """UTC offset in hours (CET/CEST by the EU rule: last Sunday of March/October)."""

    def last_sunday(month: int) -> dt.date:
        d = dt.date(day.year, month, 31)
        return d - dt.timedelta(days=(d.weekday() + 1) % 7)

    return 2 if last_sunday(3) <= day < last_sunday(10) else 1


def commit_times(fractions: list[float]):
    """Increasing (epoch seconds, tz, date) tuples for sorted points in time in [0, 1):
    the point picks the weekday and the time between 08:00 and 17:00."""
    days = [START + dt.timedelta(days=i) for i in range(DAYS) if (START + dt.timedelta(days=i)).weekday() < 5]
    out = []
    prev = -1
    for x in fractions:
        pos = min(max(x, 0.0), 0.999999999) * len(days)
        day = days[int(pos)]
        off = oslo_offset(day)
        midnight = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
        ts = midnight - off * 3600 + 8 * 3600 + int((pos - int(pos)) * 9 * 3600)
        ts = max(ts, prev + 1)
        prev = ts
        out.append((ts, f"+0{off}00", day))
    return out


# ---------------------------------------------------------------------------
# The model of one tiltak and how it is written.
# ---------------------------------------------------------------------------


def yq(s: str) -> str:
    """A YAML plain scalar when safe, else double-quoted."""
    if re.search(r"[:#\[\]{},\"'&*!|>%@`]", s) or s != s.strip() or re.fullmatch(r"[-+\d.]+", s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


class Tiltak:
    __slots__ = (
        "num", "id", "title", "slug", "owner", "org", "domain", "created", "group", "priority", "sdgs",
        "phase", "ticks", "not_relevant", "fields", "sections", "status", "risk", "state", "state_reason",
        "timeframe", "okr", "milestones", "budget", "benefits", "benefit_prereq", "deliveries", "deps", "links",
        "final_phase", "path", "ctx",
    )


class Generator:
    def __init__(self, proc_def: dict, seed: int, id_width: int):
        self.d = proc_def
        self.rng = random.Random(seed)
        self.id_width = id_width
        self.prefix = proc_def["id_prefix"]
        self.tdir = proc_def.get("tiltak_dir") or "tiltak"
        self.phases = proc_def["phases"]
        self.heading = (proc_def.get("labels") or {}).get("criteria_heading") or "Kriterier"
        self.nr_label = (proc_def.get("labels") or {}).get("not_relevant") or "ikke relevant"
        self.template_sections = [b["heading"] for b in proc_def.get("body") or []]
        self.hints = {b["heading"]: b.get("hint") for b in proc_def.get("body") or []}
        extra = []
        for ph in self.phases:
            for c in ph.get("criteria") or []:
                sec = (c.get("check") or {}).get("section")
                if sec and sec not in self.template_sections and sec not in extra:
                    extra.append(sec)
        self.section_order = self.template_sections + extra
        self.phase_index = {p["id"]: i for i, p in enumerate(self.phases)}
        self.required = []  # (field, from_index)
        for f in proc_def.get("fields") or []:
            self.required.append((f["field"].split(".")[0], self.phase_index.get(f.get("from_phase"), 0)))
        self.groups = proc_def.get("product_groups") or []
        self.sdg_ids = [s["id"] for s in proc_def.get("sdgs") or []]
        self.goal_ids = [g["id"] for g in proc_def.get("strategic_goals") or []]
        segs = proc_def.get("segments") or []
        self.segments = [s["id"] for s in segs] if isinstance(segs, list) else []

    # -- content ----------------------------------------------------------
    def fill(self, text: str, t: Tiltak) -> str:
        r = self.rng
        m = t.ctx["m"]
        return text.format(
            m=m, M=m[0].upper() + m[1:], p=r.choice(PROSESSER), a=t.org if r.random() < 0.5 else r.choice(AGENCIES)[0],
            n=f"{r.randrange(2, 90) * 1000:,}".replace(",", " "), n2=r.randrange(8, 40), y=t.ctx["y"],
            l=t.ctx["l"], k=t.ctx["k"], g=r.choice(GAMLE),
        )

    def section_text(self, heading: str, t: Tiltak) -> str:
        r = self.rng
        lead = SECTION_LEAD.get(heading, "Dette avsnittet beskriver {k} for {m}.")
        if heading in ("Behov", "Innsikt", "Problembeskrivelse"):
            n = r.randint(2, 3)
        elif heading in self.template_sections:
            n = r.randint(1, 2)
        else:
            n = 1 if r.random() < 0.3 else 0
        sents = [self.fill(lead, t)] + [self.fill(r.choice(SENT), t) for _ in range(n)]
        return " ".join(sents)

    def new_tiltak(self, num: int) -> Tiltak:
        r = self.rng
        t = Tiltak()
        t.num = num
        t.id = f"{self.prefix}-{num:0{self.id_width}d}"
        t.title = r.choice(TITLE_PATTERNS)(r)
        t.slug = slugify(t.title)
        t.owner = f"{r.choice(FIRST)} {r.choice(LAST)}"
        t.org, t.domain = r.choice(AGENCIES)
        t.group = r.choice(self.groups) if self.groups else None
        t.priority = r.choices(["must", "should", "could", "wont"], [3, 4, 2, 1])[0]
        t.sdgs = sorted(r.sample(self.sdg_ids, r.randint(1, min(2, len(self.sdg_ids))))) if self.sdg_ids else []
        t.ctx = {"m": r.choice(MALGRUPPER), "y": r.choice(YTELSER), "l": r.choice(LOSNINGER), "k": r.choice(KOMPONENTER)}
        t.phase = 0
        t.ticks = {0: []}
        t.not_relevant = {}
        t.fields = ["owner", "organization", "product_group", "sdgs"]
        if r.random() < 0.7:
            t.fields.append("priority")
        if r.random() < 0.6:
            t.fields.append("status")
        t.sections = {}
        for h in self.template_sections:
            if r.random() < 0.8:
                t.sections[h] = self.section_text(h, t)
        t.status = ["green", None, None]
        t.risk = None
        t.state, t.state_reason = "active", None
        t.timeframe = t.okr = t.milestones = t.budget = t.benefits = t.benefit_prereq = t.deliveries = None
        t.deps, t.links = [], []
        return t

    def ensure_field(self, t: Tiltak, field: str, today: dt.date):
        r = self.rng
        if field in t.fields:
            return
        t.fields.append(field)
        if field == "status":
            t.status[2] = t.status[2] or today
        elif field == "risk" and t.risk is None:
            t.risk = [r.choices(["green", "yellow", "red"], [6, 3, 1])[0], r.choice(RISK_DESC), r.choice(RISK_MIT)]
        elif field == "timeframe" and t.timeframe is None:
            start = today + dt.timedelta(days=r.randrange(20, 90))
            t.timeframe = (start, start + dt.timedelta(days=r.randrange(200, 700)))
        elif field == "okr" and t.okr is None:
            t.okr = [(self.fill(r.choice(OKR_OBJ), t), r.sample(OKR_KR, r.randint(1, 2))) for _ in range(r.randint(1, 2))]
        elif field in ("milestones", "deliveries"):
            start, end = t.timeframe or (today, today + dt.timedelta(days=400))
            names = sorted(r.sample(range(len(MILESTONES if field == "milestones" else DELIVERIES)), r.randint(2, 3)))
            span = max((end - start).days, 30)
            items = []
            for i, k in enumerate(names):
                date = start + dt.timedelta(days=span * (i + 1) // (len(names) + 1))
                items.append([(MILESTONES if field == "milestones" else DELIVERIES)[k], date, False])
            setattr(t, field, items)
        elif field == "budget" and t.budget is None:
            t.budget = (r.randrange(5, 150) * 100000, r.randrange(1, 20) * 50000)
        elif field == "benefits":
            t.benefits = self.fill("Færre manuelle prosesser og raskere svar for {m}", t)
        elif field == "benefit_prerequisites":
            t.benefit_prereq = self.fill("{l} er tatt i bruk av de største etatene", t)
        elif field == "links":
            t.links = [f"https://github.com/digdir/portfolio/issues/{t.num}"]
            if r.random() < 0.5:
                t.links.append(f"https://www.{t.domain}/{t.slug[:30].strip('-')}")
        elif field == "dependencies":
            pass

    def enter_phase(self, t: Tiltak, p: int, today: dt.date):
        t.phase = p
        t.ticks.setdefault(p, [])
        for field, frm in self.required:
            if frm <= p:
                self.ensure_field(t, field, today)
        if p >= 2:
            self.ensure_field(t, "timeframe", today)
        if p >= 1:
            self.ensure_field(t, "links", today)
        if p >= 3 and self.rng.random() < 0.5:
            for f in ("benefits", "benefit_prerequisites", "deliveries"):
                self.ensure_field(t, f, today)

    def tick(self, t: Tiltak, p: int, ci: int, today: dt.date, allow_not_relevant=True):
        if ci in t.ticks[p]:
            return
        c = self.phases[p]["criteria"][ci]
        check = c.get("check") or {}
        if allow_not_relevant and check and self.rng.random() < 0.03:
            t.not_relevant.setdefault(p, {})[ci] = "dekkes av et annet tiltak i porteføljen"
        else:
            if check.get("section") and check["section"] not in t.sections:
                t.sections[check["section"]] = self.section_text(check["section"], t)
            if check.get("field"):
                self.ensure_field(t, check["field"].split(".")[0], today)
        t.ticks[p].append(ci)

    def tick_all(self, t: Tiltak, today: dt.date):
        p = t.phase
        for ci in range(len(self.phases[p].get("criteria") or [])):
            self.tick(t, p, ci, today)
        # What the next phase requires must be in place before the gate.
        if p + 1 < len(self.phases):
            for field, frm in self.required:
                if frm <= p + 1:
                    self.ensure_field(t, field, today)
            if p + 1 >= 2:
                self.ensure_field(t, "timeframe", today)

    def render(self, t: Tiltak, today: dt.date) -> str:
        o = ["---", f"id: {t.id}", f"title: {yq(t.title)}"]
        f = t.fields
        if "owner" in f:
            o.append(f"owner: {t.owner}")
        if "organization" in f:
            o.append(f"organization: {yq(t.org)}")
        o.append(f"created: {t.created}")
        if t.group and "product_group" in f:
            o.append(f"product_group: {t.group}")
        if "priority" in f:
            o.append(f"priority: {t.priority}")
        o.append(f"state: {t.state}")
        if t.state_reason:
            o.append(f"state_reason: {yq(t.state_reason)}")
        if "status" in f:
            lvl, reason, upd = t.status
            o.append("status:")
            o.append(f"  level: {lvl}")
            if reason:
                o.append(f"  reason: {yq(reason)}")
            o.append(f"  updated: {upd}")
        if "risk" in f and t.risk:
            o += ["risk:", f"  level: {t.risk[0]}", f"  description: {yq(t.risk[1])}", f"  mitigation: {yq(t.risk[2])}"]
        if t.sdgs and "sdgs" in f:
            o.append("sdgs: [" + ", ".join(map(str, t.sdgs)) + "]")
        if "timeframe" in f and t.timeframe:
            o.append(f"timeframe: {{ start: {t.timeframe[0]}, end: {t.timeframe[1]} }}")
        if "okr" in f and t.okr:
            o.append("okr:")
            for obj, krs in t.okr:
                o.append(f"  - objective: {yq(obj)}")
                o.append("    key_results: [" + ", ".join(f'"{k}"' for k in krs) + "]")
        for key in ("milestones", "deliveries"):
            items = getattr(t, key)
            if key in f and items:
                o.append(f"{key}:")
                for name, date, done in items:
                    o.append(f"  - {{ name: {name}, date: {date}, done: {'true' if done else 'false'} }}")
        if "budget" in f and t.budget:
            o.append(f"budget: {{ investment: {t.budget[0]}, operations: {t.budget[1]}, currency: NOK }}")
        if "benefits" in f and t.benefits:
            o.append(f"benefits: {yq(t.benefits)}")
        if "benefit_prerequisites" in f and t.benefit_prereq:
            o.append(f"benefit_prerequisites: {yq(t.benefit_prereq)}")
        if t.deps:
            o.append("dependencies: [" + ", ".join(t.deps) + "]")
        if "links" in f and t.links:
            o.append("links: [" + ", ".join(f'"{u}"' for u in t.links) + "]")
        o.append("---")
        o.append(f"# {t.title}")
        o.append("")
        for h in self.section_order:
            if h in t.sections:
                o += [f"## {h}", t.sections[h], ""]
            elif h in self.hints:
                o += [f"## {h}", ""]
                if self.hints[h]:
                    o += [f"<!-- {self.hints[h]} -->", ""]
        for p in range(t.phase + 1):
            ph = self.phases[p]
            o += [f"## {self.heading}: {ph['name']}", ""]
            nr = t.not_relevant.get(p, {})
            for ci, c in enumerate(ph.get("criteria") or []):
                if ci in nr:
                    o.append(f"- [x] {c['text']} — {self.nr_label}: {nr[ci]}")
                else:
                    o.append(f"- [{'x' if ci in t.ticks.get(p, ()) else ' '}] {c['text']}")
            o.append("")
        return "\n".join(o[:-1]) + "\n"

    def path(self, t: Tiltak) -> str:
        return f"{self.tdir}/{self.phases[t.phase]['folder']}/{t.id}-{t.slug}.md"


# ---------------------------------------------------------------------------
# The history plan and the fast-import stream.
# ---------------------------------------------------------------------------

FUNNEL = [0.30, 0.23, 0.17, 0.13, 0.10, 0.07]


def plan_events(rng: random.Random, n: int, commits: int, phases: int):
    """Events (time in [0,1), order, kind, tiltak index, extra) and per-tiltak final phase."""
    weights = (FUNNEL + [FUNNEL[-1]] * phases)[:phases]
    final = rng.choices(range(phases), weights, k=n)
    budget = commits - 1 - n
    if budget < 0:
        raise SystemExit(f"--commits must be at least tiltak + 1 ({n + 1})")
    gates = sum(final)
    while gates > budget:
        i = rng.randrange(n)
        if final[i] > 0:
            final[i] -= 1
            gates -= 1
    edits = budget - gates
    # Older tiltak got further: creation time skews early with the final phase.
    create = [min(rng.random() ** (1 + 0.5 * f), 0.995) for f in final]
    order = sorted(range(n), key=lambda i: (create[i], i))
    events = []
    last_gate = [0.0] * n
    for i in range(n):
        events.append((create[i], 0, "new", i))
        ts = sorted(create[i] + (1 - create[i]) * rng.random() for _ in range(final[i]))
        for k, t in enumerate(ts):
            events.append((t, 1, "gate", i))
        last_gate[i] = ts[-1] if ts else create[i]
    # Final states and gate-ready tiltak.
    special = []
    state = ["active"] * n
    for i in range(n):
        x = rng.random()
        if x < 0.04:
            state[i] = "stopped"
            special.append((last_gate[i] + (1 - last_gate[i]) * rng.random(), 2, "stop", i))
        elif x < 0.09:
            state[i] = "on_hold"
            special.append((last_gate[i] + (1 - last_gate[i]) * rng.random(), 2, "hold", i))
        elif x < 0.29:
            special.append((last_gate[i] + (1 - last_gate[i]) * rng.random(), 2, "ready", i))
        elif x < 0.33:
            a = create[i] + (1 - create[i]) * rng.random()
            b = a + (1 - a) * rng.random()
            special += [(a, 2, "hold", i), (b, 2, "resume", i)]
    # The reporting round before the last meeting: most active tiltak get a
    # fresh status in the last weeks (stale_after_days is 45 in the templates).
    for i in range(n):
        if state[i] == "active" and rng.random() < 0.8:
            special.append((max(1 - 0.035 * rng.random(), create[i]), 3, "status", i))
    special = special[:edits]
    edits -= len(special)
    events += special
    # Ordinary edits, spread over each tiltak's life (longer life, more edits).
    cum, acc = [], 0.0
    for i in range(n):
        acc += 1 - create[i]
        cum.append(acc)
    for _ in range(edits):
        i = rng.choices(range(n), cum_weights=cum)[0]
        t = create[i] + (1 - create[i]) * rng.random()
        events.append((t, 3, rng.choices(["status", "tick", "text", "milestone"], [5, 3, 2, 1])[0], i))
    events.sort(key=lambda e: (e[0], e[1], e[3]))
    # IDs follow creation order, as `portfolio new` hands them out.
    return events, final, order, state


def data(b: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(b), b)


class FastImport:
    """Writes the history as one `git fast-import` stream. Simple, but fast-import
    re-serialises a phase folder's whole tree (thousands of entries) for every
    commit, which makes N=10 000, C=50 000 take minutes."""

    def __init__(self, out: str, env: dict):
        self.proc = subprocess.Popen(
            ["git", "-C", out, "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE, env=env, bufsize=1 << 20
        )
        self.w = self.proc.stdin.write
        self.w(b"feature done\n")

    def commit(self, ident: bytes, message: bytes, ops: list[tuple]):
        w = self.w
        w(b"commit refs/heads/main\nauthor %s\ncommitter %s\n" % (ident, ident))
        w(data(message))
        for op in ops:
            if op[0] == "D":
                w(b"D %s\n" % op[1].encode())
            else:
                w(b"M 100644 inline %s\n%s" % (op[1].encode(), data(op[2])))
        w(b"\n")

    def finish(self):
        self.w(b"done\n")
        self.proc.stdin.close()
        if self.proc.wait() != 0:
            raise SystemExit("git fast-import failed")


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _delta(src_len: int, tgt_len: int, prefix: int, middle: bytes, suffix_at: int, suffix_len: int) -> bytes:
    """A Git delta: copy `prefix` bytes, insert `middle`, copy the old suffix."""
    out = bytearray(_varint(src_len) + _varint(tgt_len))

    def copy(off: int, size: int):
        while size > 0:
            n = min(size, 0xFFFF)
            cmd, args = 0x80, bytearray()
            for i in range(4):
                if (off >> (8 * i)) & 0xFF:
                    cmd |= 1 << i
                    args.append((off >> (8 * i)) & 0xFF)
            for i in range(2):
                if (n >> (8 * i)) & 0xFF:
                    cmd |= 0x10 << i
                    args.append((n >> (8 * i)) & 0xFF)
            out.append(cmd)
            out.extend(args)
            off += n
            size -= n

    copy(0, prefix)
    for i in range(0, len(middle), 127):
        chunk = middle[i : i + 127]
        out.append(len(chunk))
        out += chunk
    copy(suffix_at, suffix_len)
    return bytes(out)


class _Dir:
    __slots__ = ("keys", "entries", "children", "stored", "change")

    def __init__(self):
        self.keys: list[bytes] = []  # sort keys (directories end with "/")
        self.entries: list[bytes] = []  # serialised tree entries, same order
        self.children: dict[str, _Dir] = {}
        self.stored = None  # (sha, bytes, pack offset, delta depth) of the last version written
        self.change = None  # the one edit since then: (index, old entry bytes or None, new entry bytes or None)


class PackWriter:
    """Writes the history straight into a pack file, then lets `git index-pack`
    index it. Blobs and commits are stored whole; a tree is stored as a delta
    against its previous version (depth at most 50, as `git gc` does), built
    from the one entry that changed, so a commit costs the same in a folder of
    ten files as in one of ten thousand. Produces exactly the objects
    `git fast-import` would (same hashes), in a fraction of the time."""

    MAX_DEPTH = 50

    def __init__(self, out: str, env: dict):
        self.out, self.env = out, env
        self.tmp = os.path.join(out, ".git", "objects", "pack", "tmp-bench.pack")
        self.f = open(self.tmp, "wb", buffering=1 << 20)
        self.f.write(b"PACK" + (2).to_bytes(4, "big") + (0).to_bytes(4, "big"))
        self.pos = 12
        self.count = 0
        self.written: dict[bytes, int] = {}
        self.root = _Dir()
        self.parent: bytes | None = None

    def _obj(self, kind: int, payload: bytes, raw_len: int, base_off: int | None = None) -> int:
        off = self.pos
        n = raw_len
        first = (kind << 4) | (n & 0x0F)
        n >>= 4
        hdr = bytearray()
        while n:
            hdr.append(first | 0x80)
            first = n & 0x7F
            n >>= 7
        hdr.append(first)
        if base_off is not None:  # OFS_DELTA: distance back to the base
            d = off - base_off
            enc = bytearray([d & 0x7F])
            d >>= 7
            while d:
                d -= 1
                enc.insert(0, 0x80 | (d & 0x7F))
                d >>= 7
            hdr += enc
        z = zlib.compress(payload, 1)
        self.f.write(hdr)
        self.f.write(z)
        self.pos += len(hdr) + len(z)
        self.count += 1
        return off

    def _whole(self, kind: str, body: bytes) -> bytes:
        sha = hashlib.sha1(b"%s %d\0" % (kind.encode(), len(body)) + body).digest()
        if sha not in self.written:
            self.written[sha] = self._obj({"commit": 1, "tree": 2, "blob": 3}[kind], body, len(body))
        return sha

    def _set(self, d: _Dir, name: str, is_dir: bool, sha: bytes | None):
        key = (name + "/" if is_dir else name).encode()
        i = bisect.bisect_left(d.keys, key)
        present = i < len(d.keys) and d.keys[i] == key
        old = d.entries[i] if present else None
        new = b"%s %s\0%s" % (b"40000" if is_dir else b"100644", name.encode(), sha) if sha is not None else None
        if old == new:
            return
        d.change = (i, old, new) if d.change is None else "many"
        if new is None:
            del d.keys[i], d.entries[i]
        elif present:
            d.entries[i] = new
        else:
            d.keys.insert(i, key)
            d.entries.insert(i, new)

    def _store(self, d: _Dir) -> bytes:
        body = b"".join(d.entries)
        sha = hashlib.sha1(b"tree %d\0" % len(body) + body).digest()
        prev, change = d.stored, d.change
        d.change = None
        if sha in self.written:
            d.stored = (sha, body, self.written[sha], 0)
            return sha
        if prev is not None and change not in (None, "many") and prev[3] < self.MAX_DEPTH:
            i, old, new = change
            prefix = sum(map(len, d.entries[:i]))
            middle = new or b""
            suffix_at = prefix + (len(old) if old else 0)
            delta = _delta(len(prev[1]), len(body), prefix, middle, suffix_at, len(prev[1]) - suffix_at)
            off = self._obj(6, delta, len(delta), base_off=prev[2])
            depth = prev[3] + 1
        else:
            off = self._obj(2, body, len(body))
            depth = 0
        self.written[sha] = off
        d.stored = (sha, body, off, depth)
        return sha

    def commit(self, ident: bytes, message: bytes, ops: list[tuple]):
        dirty: list[_Dir] = []
        for op in ops:
            parts = op[1].split("/")
            d = self.root
            chain = [(d, None)]
            for part in parts[:-1]:
                d = d.children.setdefault(part, _Dir())
                chain.append((d, part))
            blob = self._whole("blob", op[2]) if op[0] == "M" else None
            self._set(d, parts[-1], False, blob)
            for dd, _ in chain:
                if dd not in dirty:
                    dirty.append(dd)
        # Deepest first, so a parent sees its children's new hashes.
        def depth(x: _Dir) -> int:
            return -self._depth_of(x)

        for d in sorted(dirty, key=depth):
            parent, name = self._parent_of(d)
            if parent is not None and not d.entries:
                # Git has no empty folders: drop it (as fast-import does).
                d.stored = d.change = None
                self._set(parent, name, True, None)
                continue
            sha = self._store(d)
            if parent is not None:
                self._set(parent, name, True, sha)
        tree = self.root.stored[0]
        body = b"tree %s\n" % tree.hex().encode()
        if self.parent:
            body += b"parent %s\n" % self.parent.hex().encode()
        body += b"author %s\ncommitter %s\n\n%s" % (ident, ident, message)
        self.parent = self._whole("commit", body)

    def _walk(self):
        stack = [(self.root, None, None, 0)]
        while stack:
            d, parent, name, depth = stack.pop()
            yield d, parent, name, depth
            for n, c in d.children.items():
                stack.append((c, d, n, depth + 1))

    def _depth_of(self, d: _Dir) -> int:
        return next(depth for x, _, _, depth in self._walk() if x is d)

    def _parent_of(self, d: _Dir):
        return next((p, n) for x, p, n, _ in self._walk() if x is d)

    def finish(self):
        self.f.close()
        with open(self.tmp, "r+b") as f:
            f.seek(8)
            f.write(self.count.to_bytes(4, "big"))
            f.seek(0)
            h = hashlib.sha1()
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
            f.seek(0, 2)
            f.write(h.digest())
        final = os.path.join(os.path.dirname(self.tmp), f"pack-{h.hexdigest()}.pack")
        os.rename(self.tmp, final)
        subprocess.run(["git", "-C", self.out, "index-pack", final], check=True, env=self.env,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(self.out, ".git", "refs", "heads", "main"), "w") as f:
            f.write(self.parent.hex() + "\n")


def generate(args) -> dict:
    t0 = time.perf_counter()
    template_text = open(args.template, encoding="utf-8").read()
    if args.prefix:
        # Another agency: its own ID prefix (and name), so that IDs, file
        # names and commit messages are its own.
        template_text, n_sub = re.subn(r"(?m)^id_prefix:.*$", f"id_prefix: {args.prefix}", template_text)
        if n_sub != 1:
            raise SystemExit(f"{args.template}: no top-level `id_prefix:` line to replace")
        if args.name:
            template_text = re.sub(r"(?m)^name:.*$", lambda _: f"name: {yq(args.name)}", template_text, count=1)
    proc_def = read_yaml(template_text)
    n, c = args.tiltak, args.commits
    id_width = args.id_width
    g = Generator(proc_def, args.seed, id_width)
    rng = g.rng
    events, final, order, final_state = plan_events(rng, n, c, len(g.phases))
    times = commit_times([0.0] + [e[0] for e in events])
    number_of = {i: k + 1 for k, i in enumerate(order)}

    out = args.out
    if os.path.exists(out):
        if not args.force and os.listdir(out):
            raise SystemExit(f"{out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(out)
    os.makedirs(out)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", LC_ALL="C")
    run = lambda *a: subprocess.run(["git", "-C", out, *a], check=True, env=env, stdout=subprocess.DEVNULL)
    run("init", "-q", "-b", "main")
    run("config", "user.name", "Benchmark Bruker")
    run("config", "user.email", "benchmark@example.no")
    run("config", "core.autocrlf", "false")
    backend = (FastImport if args.backend == "fast-import" else PackWriter)(out, env)

    def commit(k: int, who: tuple[str, str], message: str, ops: list[tuple]):
        ts, tz, _ = times[k]
        backend.commit(f"{who[0]} <{who[1]}> {ts} {tz}".encode(), message.encode(), ops)

    def put(path: str, text: str) -> tuple:
        return ("M", path, text.encode())

    office = [(name, email_of(name, "digdir.no")) for name in OFFICE]
    commit(0, office[0], f"init: {proc_def.get('name', 'portefølje')}\n", [put("portfolio.yaml", template_text)])

    tiltak: list[Tiltak | None] = [None] * n
    counts = {"new": 0, "gate": 0}
    sizes = []
    for k, (_, _, kind, i) in enumerate(events, start=1):
        today = times[k][2]
        t = tiltak[i]
        if kind == "new":
            t = g.new_tiltak(number_of[i])
            t.created = today
            t.status[2] = today
            g.enter_phase(t, 0, today)
            if rng.random() < 0.08 and t.num > 1:
                # Depend on an older tiltak (IDs below this one all exist by now).
                t.deps = [f"{g.prefix}-{rng.randrange(1, t.num):0{id_width}d}"]
            t.final_phase = final[i]
            t.path = g.path(t)
            tiltak[i] = t
            who = (t.owner, email_of(t.owner, t.domain))
            commit(k, who, f"new {t.id}: {t.title}\n", [put(t.path, g.render(t, today))])
            counts["new"] += 1
            continue
        who = (t.owner, email_of(t.owner, t.domain))
        if kind == "gate":
            g.tick_all(t, today)
            frm = g.phases[t.phase]
            old = t.path
            g.enter_phase(t, t.phase + 1, today)
            to = g.phases[t.phase]
            t.path = g.path(t)
            if t.status[0] != "green" and rng.random() < 0.5:
                t.status = ["green", None, today]
            by = rng.choice(OFFICE)
            msg = (
                f"advance {t.id}: {frm['name']} → {to['name']}\n\n"
                f"Tiltak: {t.id}\nPhase-From: {frm['id']}\nPhase-To: {to['id']}\nDecided-By: {by}\n"
            )
            commit(k, office[OFFICE.index(by)], msg, [("D", old), put(t.path, g.render(t, today))])
            counts["gate"] += 1
            continue
        if kind in ("hold", "stop", "resume"):
            state = {"hold": "on_hold", "stop": "stopped", "resume": "active"}[kind]
            if t.state == state or t.state == "stopped":
                kind = "status"  # nothing to change: an ordinary status update instead
            else:
                t.state = state
                reason = rng.choice(STATE_REASONS["on_hold" if kind == "resume" else state])
                if kind == "resume":
                    reason = "Finansiering er avklart, arbeidet tas opp igjen"
                t.state_reason = None if state == "active" else reason
                short = reason if len(reason) <= 60 else reason[:59] + "…"
                msg = f"{kind} {t.id}: {short}\n\nTiltak: {t.id}\nState: {state}\nReason: {reason}\n"
                commit(k, who, msg, [put(t.path, g.render(t, today))])
                continue
        if kind == "ready":
            g.tick_all(t, today)
            msg = f"{t.id}: alle kriterier for {g.phases[t.phase]['name']} er oppfylt\n"
        elif kind == "tick":
            crit = g.phases[t.phase].get("criteria") or []
            open_ = [ci for ci in range(len(crit)) if ci not in t.ticks[t.phase]]
            if len(open_) > 1:
                for ci in rng.sample(open_, rng.randint(1, len(open_) - 1)):
                    g.tick(t, t.phase, ci, today)
                msg = f"{t.id}: kryss av kriterier i {g.phases[t.phase]['name']}\n"
            else:
                kind = "status"
        elif kind == "text":
            h = rng.choice(g.template_sections)
            t.sections[h] = g.section_text(h, t)
            msg = f"{t.id}: oppdater {h}\n"
        elif kind == "milestone":
            open_ms = [m for m in (t.milestones or []) if not m[2]] if "milestones" in t.fields else []
            if open_ms:
                open_ms[0][2] = True
                if rng.random() < 0.3 and len(open_ms) > 1:
                    open_ms[1][1] = open_ms[1][1] + dt.timedelta(days=rng.randrange(14, 90))
                msg = f"{t.id}: milepæl «{open_ms[0][0]}» nådd\n"
            else:
                kind = "status"
        if kind == "status":
            lvl = rng.choices(["green", "yellow", "red"], [65, 27, 8])[0]
            t.status = [lvl, rng.choice(REASONS_STATUS) if lvl != "green" else None, today]
            g.ensure_field(t, "status", today)
            for m in (t.milestones or []) + (t.deliveries or []):
                if m[1] < today and rng.random() < 0.9:
                    m[2] = True
            if "risk" in t.fields and rng.random() < 0.3:
                t.risk[0] = rng.choices(["green", "yellow", "red"], [6, 3, 1])[0]
            norsk = {"green": "grønn", "yellow": "gul", "red": "rød"}[lvl]
            msg = f"{t.id}: status {norsk}\n"
        text = g.render(t, today)
        if k % 97 == 0:
            sizes.append(len(text.encode()))
        commit(k, who, msg, [put(t.path, text)])

    backend.finish()
    run("reset", "-q", "--hard")
    head = subprocess.run(["git", "-C", out, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()

    # What the benchmarks need to know, outside the repository.
    last = times[-1][2]
    phase_counts = [0] * len(g.phases)
    ready = None
    for t in sorted((t for t in tiltak if t), key=lambda t: t.num):
        phase_counts[t.phase] += 1
        crit = g.phases[t.phase].get("criteria") or []
        if (
            ready is None
            and t.state == "active"
            and 1 <= t.phase < len(g.phases) - 1
            and len(t.ticks[t.phase]) == len(crit)
            and t.num > n // 2
        ):
            ready = t
    if ready is None:  # small portfolios: any ready one
        for t in tiltak:
            crit = g.phases[t.phase].get("criteria") or []
            if t.state == "active" and t.phase < len(g.phases) - 1 and len(t.ticks[t.phase]) == len(crit):
                ready = t
                break
    meta = {
        "tiltak": n,
        "commits": c,
        "seed": args.seed,
        "head": head,
        "first_commit_date": str(times[0][2]),
        "last_commit_date": str(last),
        "since_date": str(last.replace(year=last.year - 1)),
        "ready_id": ready.id if ready else None,
        "ready_path": ready.path if ready else None,
        "ready_phase": g.phases[ready.phase]["id"] if ready else None,
        "ready_next_path": f"{g.tdir}/{g.phases[ready.phase + 1]['folder']}/{ready.id}-{ready.slug}.md" if ready else None,
        "phase_counts": {g.phases[i]["id"]: phase_counts[i] for i in range(len(g.phases))},
        "states": {s: sum(1 for t in tiltak if t.state == s) for s in ("active", "on_hold", "stopped")},
        "file_bytes_sampled": {"min": min(sizes, default=0), "max": max(sizes, default=0),
                               "mean": int(sum(sizes) / len(sizes)) if sizes else 0},
        "seconds": round(time.perf_counter() - t0, 1),
    }
    return meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tiltak", type=int, default=1000, help="number of tiltak (N)")
    ap.add_argument("--commits", type=int, default=None, help="number of commits (C, default 5×N)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="folder for the new repository")
    ap.add_argument("--template", default=DEFAULT_TEMPLATE, help="process definition to copy as portfolio.yaml")
    ap.add_argument("--meta", default=None, help="where to write the JSON metadata (default <out>.bench-meta.json)")
    ap.add_argument("--id-width", type=int, default=3,
                    help="zero-padded width of ID numbers (default 3, as `portfolio new` writes them)")
    ap.add_argument("--prefix", default=None,
                    help="ID prefix written into portfolio.yaml instead of the template's (IDs, file names, "
                    "commit messages follow it): one portfolio per agency for a national file")
    ap.add_argument("--name", default=None, help="with --prefix: the portfolio's name in portfolio.yaml")
    ap.add_argument("--force", action="store_true", help="replace --out if it exists")
    ap.add_argument("--backend", choices=["pack", "fast-import"], default="pack",
                    help="write objects straight into a pack (default, fast) or through `git fast-import` "
                    "(same history, slower for large N)")
    args = ap.parse_args()
    if args.prefix is not None and not re.fullmatch(r"[A-Z][A-Z0-9]{0,9}", args.prefix):
        ap.error(f"--prefix {args.prefix!r}: capital letters and digits, starting with a letter (e.g. NV)")
    if args.name is not None and args.prefix is None:
        ap.error("--name needs --prefix")
    if args.commits is None:
        args.commits = 5 * args.tiltak
    args.out = os.path.abspath(args.out)
    meta = generate(args)
    meta_path = args.meta or args.out.rstrip("/") + ".bench-meta.json"
    with open(meta_path, "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(
        f"generated {meta['tiltak']} tiltak, {meta['commits']} commits in {meta['seconds']} s "
        f"-> {args.out} (head {meta['head'][:12]}, ready {meta['ready_id']})"
    )


if __name__ == "__main__":
    main()
