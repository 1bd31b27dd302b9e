"""Worker processes for the store's concurrency tests (a module, so spawned processes can import it)."""

from __future__ import annotations


def write_answers(url: str, name: str, worker: str, writes: list[tuple[str, str, str]]) -> int:
    """Open the store in this process and record each (case, question, value); return the count."""
    from hmip_inspect.core.store.database import open_store

    store = open_store(url)
    try:
        for case_id, question_id, value in writes:
            store.record_answer(name, case_id, question_id, value, worker, reason="concurrency test")
    finally:
        store.close()
    return len(writes)


def write_decisions(url: str, name: str, worker: str, kind: str, standard: str, count: int) -> int:
    """Record ``count`` decisions of ``kind`` on one standard through the service layer, as a
    lead inspector would; return how many were recorded."""
    from hmip_inspect.core.session import Session
    from hmip_inspect.core.store.database import open_store
    from hmip_inspect.core.store.fieldwork import Fieldwork

    store = open_store(url)
    try:
        fieldwork = Fieldwork(store, name, Session())
        for number in range(count):
            fieldwork.decide(kind, standard, worker, "concurrency test", direction="up",
                             rationale=f"{worker} decision {number}", ratified=True)
    finally:
        store.close()
    return count
