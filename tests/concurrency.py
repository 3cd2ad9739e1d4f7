"""Calls released at the same moment from their own threads, as when phones send at once."""

import threading
from collections.abc import Callable

from django.db import connection


def at_once(*calls: Callable[[], object]) -> list[object]:
    """
    Run each call in its own thread, all released together by a barrier; return
    what each returned or the exception it raised, in the order of the calls. Each
    thread closes its own database connection.
    """
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def raised(results: list[object]) -> list[Exception]:
    return [result for result in results if isinstance(result, Exception)]
