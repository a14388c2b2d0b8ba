# event: {"jobs": [{"id": "j1", "steps": ["fetch", "parse", "store"]}, {"id": "j2", "steps": ["fetch", "explode"]}, {"id": "j3", "steps": ["parse", "timeout"]}, {"id": "j4", "steps": []}]}
# arena-kib: 256
import logging
import sys
import traceback
from typing import Dict, List

logger = logging.getLogger("jobs")
logger.setLevel(logging.DEBUG)
handler_ = logging.StreamHandler(sys.stderr)
handler_.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))
logger.addHandler(handler_)
logger.propagate = False


class JobError(Exception):
    """Base of everything a job can raise."""

    def __init__(self, job_id: str, message: str):
        super().__init__(message)
        self.job_id = job_id

    def __str__(self):
        return f"job {self.job_id}: {self.args[0]}"


class StepFailed(JobError):
    def __init__(self, job_id: str, step: str, cause: Exception):
        super().__init__(job_id, f"step {step!r} failed ({type(cause).__name__}: {cause})")
        self.step = step


class RetryableError(JobError):
    retry_after = 30


class BatchFailed(Exception):
    def __init__(self, errors: List[JobError]):
        self.errors = errors
        super().__init__(f"{len(errors)} of the jobs failed")

    def by_type(self) -> Dict[str, List[str]]:
        out: Dict[str, List[str]] = {}
        for e in self.errors:
            out.setdefault(type(e).__name__, []).append(e.job_id)
        return out


def run_step(job_id: str, step: str) -> str:
    if step == "explode":
        raise ZeroDivisionError("division by zero")
    if step == "timeout":
        raise RetryableError(job_id, "upstream timed out")
    return f"{step}:ok"


def run_job(job: dict) -> List[str]:
    if not job["steps"]:
        raise JobError(job["id"], "no steps")
    done = []
    for step in job["steps"]:
        try:
            done.append(run_step(job["id"], step))
        except JobError:
            raise
        except Exception as exc:
            raise StepFailed(job["id"], step, exc) from exc
    return done


def run_all(jobs) -> Dict[str, List[str]]:
    results, errors = {}, []
    for job in jobs:
        try:
            results[job["id"]] = run_job(job)
            logger.debug("job %s done with %d steps", job["id"], len(results[job["id"]]))
        except JobError as exc:
            logger.warning("failed: %s", exc)
            errors.append(exc)
    if errors:
        raise BatchFailed(errors)
    return results


def handler(event, context):
    try:
        run_all(event["jobs"])
        return {"ok": True}
    except BatchFailed as batch:
        first = batch.errors[0]
        tb = traceback.format_exception_only(type(first), first)
        retryable = [e for e in batch.errors if isinstance(e, RetryableError)]
        causes = [type(e.__cause__).__name__ if e.__cause__ else None for e in batch.errors]
        logger.error("batch failed: %s", batch)
        return {
            "summary": str(batch),
            "byType": batch.by_type(),
            "messages": [str(e) for e in batch.errors],
            "causes": causes,
            "retryAfter": max((e.retry_after for e in retryable), default=0),
            "steps": [getattr(e, "step", None) for e in batch.errors],
            "formatted": tb[-1].strip(),
            "mro": [c.__name__ for c in StepFailed.__mro__],
            "isJobError": [isinstance(e, JobError) for e in batch.errors],
            "args": [list(e.args) for e in batch.errors],
        }
