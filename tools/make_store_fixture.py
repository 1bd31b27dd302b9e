"""Write ``tests/data/store_0006.json.gz``: the rows of a small synthetic store as the release
that wrote schema 0006 left them (commit 22aea91), for the migration tests
(tests/migration_fixture.py) to load into a database at an older revision and upgrade in place.

Run it from this repository with an interpreter where the release of schema 0006 is installed
(not editable: its own code, not this checkout's, writes the rows):

    mkdir /tmp/hmip-0006 && git archive 22aea91 | tar -x -C /tmp/hmip-0006
    python -m venv /tmp/hmip-0006/.venv && /tmp/hmip-0006/.venv/bin/pip install -q /tmp/hmip-0006
    /tmp/hmip-0006/.venv/bin/python tools/make_store_fixture.py tests/data/store_0006.json.gz

The store, all synthetic (the bundled CRC example): inspection ``tv`` (the whole example, with
its bundled second assessment of ten cases and one answer reconciled), inspection ``other``
(five of its cases, one answer edited, one case started and unfinished). Besides the rows, the
file keeps what that release read back from the store (``reading`` in
tests/migration_fixture.py, the same function the tests use), which the upgraded store must
read the same.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path

from sqlalchemy import MetaData, select, text

EXAMPLE = Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent / "examples" / "crc"


def main(out: Path) -> None:
    from hmip_inspect.core.session import Session
    from hmip_inspect.core.store.database import open_store
    from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder
    from hmip_inspect.core.inspection.folder import load_inspection
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from migration_fixture import TABLES, reading

    session = Session()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "store.sqlite"), create=True)
        import_folder(store, session, EXAMPLE, "tv", "importer")
        tv = Fieldwork(store, "tv", session)
        tv.import_second_assessment([EXAMPLE / "qa"], "second")
        item = tv.disagreements()[0]
        tv.reconcile(item["case_id"], item["question"], item["second"], "second look agreed", "lead")
        inspection = load_inspection(EXAMPLE, session.profile("crc"), session.catalogue)
        store.create("other", inspection.info, list(inspection.cases)[:5], inspection.judgements,
                     "importer", source="five cases of the bundled example")
        first = store.cases("other")[0]
        store.record_answer("other", first.case_id, "2.1.1",
                            "no" if first.answer("2.1.1") == "yes" else "yes", "inspector", reason="second look")
        store.start_case("other", "NEW-1", "domain2", {"gender": "male"}, "inspector")
        with store.engine.begin() as db:
            version = db.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            tables = MetaData()
            tables.reflect(db)
            rows = {name: [list(row) for row in db.execute(select(tables.tables[name])
                                                           .order_by(*tables.tables[name].primary_key))]
                    for name in TABLES}
            columns = {name: [c.name for c in tables.tables[name].columns] for name in TABLES}
        data = {"schema": version, "columns": columns, "rows": rows, "reading": reading(store, session)}
        store.close()
    assert data["schema"] == "0006", data["schema"]
    out.write_bytes(gzip.compress(json.dumps(data, sort_keys=True).encode(), mtime=0))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
