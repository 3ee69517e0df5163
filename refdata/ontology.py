"""Regenerate ``anatomy_terms.yaml``: the extract of the anatomy ontologies the data may cite.

Not run by the site. After citing a new UBERON term in a muscle's ``identifiers`` or in
``region_crosswalk.yaml``, fetch the two published files and run::

    pip download --no-deps cellxgene-ontology-guide==1.11.1 -d wheel
    unzip -p wheel/cellxgene_ontology_guide-1.11.1-py3-none-any.whl \\
        cellxgene_ontology_guide/data/UBERON-ontology-v2026-04-01.json.zst | zstd -d > uberon.json
    # src/ontology/bridge/uberon-bridge-to-fma.obo of obophenotype/uberon at commit FMA_BRIDGE_COMMIT
    python -m refdata.ontology uberon.json uberon-bridge-to-fma.obo

The extract keeps every UBERON term the data cites and every muscle organ term of the release (so the
checker can tell when a muscle has a term of its own that it does not cite), each with its label and
synonyms; the FMA classes UBERON's bridge makes equivalent to the cited terms; and the CHOIR body-map
segments as they stand in the file already (they come from no ontology release).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from refdata import schema
from refdata.load import read

FOLDER = Path(__file__).parent
TERMS_FILE = "anatomy_terms.yaml"
MUSCLE_ORGAN = "UBERON:0001630"
UBERON = {
    "id": "uberon",
    "name": "Uberon multi-species anatomy ontology",
    "release": "v2026-04-01",
    "source": (
        "uberon.owl of the UBERON release v2026-04-01, as the JSON file UBERON-ontology-v2026-04-01.json.zst"
        " shipped in the PyPI wheel cellxgene-ontology-guide==1.11.1 (wheel SHA-256"
        " 621276831bc021aab348f4d6119fad033282dff3126a8f2dbe8b293fbce68aca; decompressed JSON SHA-256"
        " f156f31c191fe4cd7ab4f42ec16fc3a92d8c8808a18b0db4177f65a8348787b5)"
    ),
    "url": "https://github.com/obophenotype/uberon/releases/tag/v2026-04-01",
    "licence": "CC BY 3.0",
}
FMA_BRIDGE_COMMIT = "019fbfae732f2cf5f0affd53e382f0a4915dc27e"
FMA = {
    "id": "fma",
    "name": "Foundational Model of Anatomy, as UBERON's FMA bridge equates it with UBERON terms",
    "release": "2021-11-12",
    "source": (
        "src/ontology/bridge/uberon-bridge-to-fma.obo (data-version 2021-11-12) of the obophenotype/uberon"
        f" repository at commit {FMA_BRIDGE_COMMIT}: each stanza equates one FMA class with one UBERON term"
        " (post-embryonic human)"
    ),
    "url": f"https://github.com/obophenotype/uberon/blob/{FMA_BRIDGE_COMMIT}/src/ontology/bridge/uberon-bridge-to-fma.obo",
    "licence": "CC BY 3.0 (the UBERON repository)",
}
STANZA = re.compile(
    r"^id: (FMA:\d+).*?IAO:0000589 \"(.*?) \(post-embryonic human\)\".*?^intersection_of: (UBERON:\d{7})\b",
    re.MULTILINE | re.DOTALL,
)
HEADER = """\
# The anatomy ontology terms the data may cite: an extract of the published releases named in each entry.
# `flask refdata check` refuses an UBERON, FMA or CHOIR id that is not here, so an id can only be one the
# release really has. Do not edit by hand: regenerate with `python -m refdata.ontology` (see refdata/ontology.py).
# CHOIR: the segments of the CHOIR Body Map (Scherrer et al., PAIN Reports 2021;6(1):e880,
# doi:10.1097/PR9.0000000000000880) as the CHOIRBM R package codes the male figure (101-136 front, 201-238 back);
# names and sides from the ctsit/imagemap REDCap module's key list; pairing the two is ours (same order, and each
# polygon lies where its name and side say). Research use only.
"""


def cited_uberon(folder: Path) -> set[str]:
    """Every UBERON id the muscles and the region crosswalk cite."""
    data = read(folder)
    ids = set()
    for m in data.items(schema.Muscle):
        if m.identifiers:
            ids |= set(m.identifiers.terms())
    for r in data.items(schema.RegionCrosswalk):
        ids |= set(r.terms())
    return ids


def uberon_terms(release: dict, cited: set[str]) -> dict[str, dict]:
    """The cited terms and every muscle organ term of the release that is not deprecated, by id."""
    keep = {
        term_id
        for term_id, term in release.items()
        if not term["deprecated"] and (term_id == MUSCLE_ORGAN or MUSCLE_ORGAN in term["ancestors"])
    }
    keep |= {term_id for term_id in cited if term_id in release and not release[term_id]["deprecated"]}
    return {term_id: _term(release[term_id]["label"], release[term_id].get("synonyms", [])) for term_id in sorted(keep)}


def bridge_terms(bridge: str, uberon: set[str]) -> dict[str, dict]:
    """The FMA classes the bridge equates with the given UBERON terms, by FMA id."""
    found = {}
    for stanza in bridge.split("\n[Term]\n"):
        match = STANZA.search(stanza)
        if match and match.group(3) in uberon:
            fma, label, uberon_id = match.groups()
            found[fma] = {"label": label, "uberon": uberon_id}
    return dict(sorted(found.items(), key=lambda item: int(item[0].split(":")[1])))


def _term(label: str, synonyms: list[str]) -> dict:
    return {"label": label, "synonyms": sorted(set(synonyms))} if synonyms else {"label": label}


def dump(vocabularies: list[dict]) -> str:
    """The extract as YAML: each vocabulary's description, then one term a line."""
    lines = [HEADER]
    for vocabulary in vocabularies:
        about = {key: value for key, value in vocabulary.items() if key != "terms"}
        lines.append(yaml.safe_dump([about], sort_keys=False, width=120, allow_unicode=True).rstrip())
        lines.append("  terms:")
        for term_id, term in vocabulary["terms"].items():
            value = yaml.safe_dump(term, default_flow_style=True, width=10_000, allow_unicode=True).strip()
            lines.append(f"    {yaml.safe_dump(term_id).split(chr(10))[0]}: {value}")
    return "\n".join(lines) + "\n"


def main(uberon_json: str, fma_bridge: str, folder: Path = FOLDER) -> None:
    """Rewrite ``folder/anatomy_terms.yaml`` from the UBERON release and the FMA bridge file."""
    cited = cited_uberon(folder)
    terms = uberon_terms(json.loads(Path(uberon_json).read_text()), cited)
    fma = bridge_terms(Path(fma_bridge).read_text(), cited)
    old = yaml.safe_load((folder / TERMS_FILE).read_text())
    choir = next(v for v in old if v["id"] == "choir")
    (folder / TERMS_FILE).write_text(dump([UBERON | {"terms": terms}, FMA | {"terms": fma}, choir]))


if __name__ == "__main__":
    main(*sys.argv[1:3])
