"""Worker processes for the store's concurrency tests (a module, so spawned processes can import it)."""

from __future__ import annotations


def write_answers(url: str, name: str, worker: str, writes: list[tuple[str, str, str]]) -> int:
    """Open the store in this process and record each (case, question, value); return the count."""
    from hmip_inspect.core.store import open_store

    store = open_store(url)
    try:
        for case_id, question_id, value in writes:
            store.record_answer(name, case_id, question_id, value, worker, reason="concurrency test")
    finally:
        store.close()
    return len(writes)
