"""Audit ledger throughput on PostgreSQL: concurrent writers with the sealer beside them.

    .venv/bin/python -m bench.audit                  # table on stdout and in docs/benchmarks.md
    .venv/bin/python -m bench.audit --seconds 5 --writers 2 --batches 1,100 --no-write

The bench works in a scratch database of its own (``--database``, created on the server
``--server``, migrated, dropped at the end) and a temporary folder for the signing key and
published checkpoints, so it touches nothing else. Django runs with DEBUG off, as in
production.

For each (writers, batch size) it starts that many writer processes and one sealer
process, lets them run for ``--seconds``, and reports the records committed per second,
the p50/p95 of the append (``ledger_append`` for a batch of 1, ``ledger_append_many``
otherwise, in the open transaction) and of the whole transaction (append and commit), and
how many records per second the sealer chained meanwhile, with the queue it left behind.
Then the sealer runs alone on a backlog (``--backlog`` records queued first), which times
its own capacity rather than the writers'.
A batch of 1 is one append per transaction, the per-event cost (logins, decisions,
single results). Records look like a job's inference records (user, business unit, five
hashes, small details). At the end every record is sealed and the whole ledger verified.

Audit cost per inference (``--skip-model`` leaves the model and the job out): one writer
alone appends one record, and 16 records (a job's chunk), in an open transaction; then a
real zero-shot job over 32 filtered images runs in this process with its ledger calls
timed, giving their share of the job's wall time; and the reference CLIP's time per image
on a batch of 16 filtered photos, and the filters' (paid once per asset, at ingest).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parents[2]
SECTION = "## Audit ledger"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
TARGET_RECORDS_PER_S = 5000
TARGET_SEALER_RECORDS_PER_S = 6000
TARGET_COST_PERCENT = 2.0
LABELS = ("a photo of a shoe", "a photo of a bag", "a photo of a cat", "a photo of a bicycle")


@dataclass(frozen=True)
class Config:
    writers: int
    batch: int


@dataclass
class Outcome:
    config: Config
    records: int = 0
    elapsed_s: float = 0.0
    append_ms: list[float] = field(default_factory=list)
    txn_ms: list[float] = field(default_factory=list)
    sealed: int = 0
    sealer_s: float = 0.0
    backlog: int = 0
    load: float = 0.0

    @property
    def records_per_s(self) -> float:
        return self.records / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def sealed_per_s(self) -> float:
        return self.sealed / self.sealer_s if self.sealer_s else 0.0


@dataclass
class Cost:
    append_ms: float
    commit_ms: float
    model_ms_per_image: float | None = None
    filter_ms_per_image: float | None = None
    job_ms_per_image: float | None = None
    job_audit_ms_per_image: float | None = None
    job_filter_ms_per_image: float | None = None
    chunk_append_ms: float | None = None


# ---------------------------------------------------------------------------- set-up


def database_url(server: str, name: str) -> str:
    base, _, _ = server.rpartition("/")
    return f"{base}/{name}"


def create_database(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django() -> None:
    """Django against the bench database; the environment was set by :func:`main`."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipguard.settings")
    django.setup()
    import logging

    logging.getLogger("audit").setLevel(logging.WARNING)


def _sample_fields(rng_tag: str, i: int, actor: Any, unit: Any) -> dict[str, Any]:
    """One inference record's arguments, as a job passes them."""
    return {
        "event_type": "inference",
        "actor": actor,
        "business_unit": unit,
        "purpose": "product_tagging",
        "request_id": f"req-{rng_tag}-{i // 16}",
        "job_id": str(i // 16),
        "asset_id": i,
        "input_sha256": secrets.token_hex(32),
        "filtered_sha256": secrets.token_hex(32),
        "manifest_sha256": secrets.token_hex(32),
        "model_id": "clipguard-reference-clip",
        "weights_sha256": "5" * 64,
        "policy_version": "rules-3f2a9c",
        "policy_decision": "allow",
        "consent_ref": f"consent:{i % 97}",
        "output_sha256": secrets.token_hex(32),
        "details": {"task": "zero_shot_classification"},
    }


def _actor_and_unit() -> tuple[Any, Any]:
    from clipguard.accounts.models import BusinessUnit, User

    unit, _ = BusinessUnit.objects.get_or_create(slug="bench-unit", defaults={"name": "Bench"})
    user = User.objects.filter(username="bench-user").first()
    if user is None:
        user = User.objects.create_user(username="bench-user", password=secrets.token_hex(16))
    return user, unit


# ------------------------------------------------------------------------ processes


def _writer(index: int, batch: int, seconds: float, start: Barrier, results: Queue[Any]) -> None:
    setup_django()
    from django.db import connection, transaction

    from audit.services import LedgerEntry, ledger_append, ledger_append_many

    actor, unit = _actor_and_unit()
    tag = f"w{index}"
    with transaction.atomic():  # warm-up: connection, statement cache
        ledger_append(**_sample_fields(tag, 0, actor, unit))
    start.wait()
    began = time.monotonic()
    end = began + seconds
    records = 0
    i = 1
    append_ms: list[float] = []
    txn_ms: list[float] = []
    now = began
    while now < end:
        fields = [_sample_fields(tag, i + k, actor, unit) for k in range(batch)]
        i += batch
        t0 = time.perf_counter()
        with transaction.atomic():
            if batch == 1:
                ledger_append(**fields[0])
            else:
                ledger_append_many([LedgerEntry(**f) for f in fields])
            t1 = time.perf_counter()
        t2 = time.perf_counter()
        append_ms.append((t1 - t0) * 1000)
        txn_ms.append((t2 - t0) * 1000)
        records += batch
        now = time.monotonic()
    connection.close()
    results.put(("writer", records, now - began, append_ms, txn_ms))


def _sealer(seconds: float, start: Barrier, results: Queue[Any]) -> None:
    setup_django()
    from django.db import connection

    from audit.models import PendingSeal
    from audit.sealer import seal_pending

    seal_pending()
    start.wait()
    began = time.monotonic()
    end = began + seconds
    sealed = 0
    now = began
    while now < end:
        count = seal_pending()
        sealed += count
        if count == 0:
            time.sleep(0.02)
        now = time.monotonic()
    backlog = PendingSeal.objects.count()
    connection.close()
    results.put(("sealer", sealed, now - began, backlog))


def run_config(config: Config, seconds: float) -> Outcome:
    context = multiprocessing.get_context("spawn")
    results: Queue[Any] = context.Queue()
    start = context.Barrier(config.writers + 1)
    processes = [
        context.Process(target=_writer, args=(i, config.batch, seconds, start, results))
        for i in range(config.writers)
    ]
    processes.append(context.Process(target=_sealer, args=(seconds, start, results)))
    for process in processes:
        process.start()
    outcome = Outcome(config)
    elapsed: list[float] = []
    for _ in processes:
        message = results.get(timeout=seconds + 300)
        if message[0] == "writer":
            _, records, took, append_ms, txn_ms = message
            outcome.records += records
            elapsed.append(took)
            outcome.append_ms.extend(append_ms)
            outcome.txn_ms.extend(txn_ms)
        else:
            _, outcome.sealed, outcome.sealer_s, outcome.backlog = message
    for process in processes:
        process.join()
        if process.exitcode:
            raise RuntimeError(f"a bench process failed (exit {process.exitcode})")
    outcome.elapsed_s = max(elapsed)
    outcome.load = os.getloadavg()[0]
    return outcome


def seal_everything() -> int:
    from audit.sealer import seal_pending

    total = 0
    while count := seal_pending():
        total += count
    return total


def measure_sealer_backlog(records: int) -> tuple[int, float]:
    """The sealer alone on a backlog: ``records`` queued (appended in transactions of 1,000
    by this process, nothing else writing), then sealed. Returns (sealed, seconds)."""
    from django.db import transaction

    from audit.services import LedgerEntry, ledger_append_many

    seal_everything()
    actor, unit = _actor_and_unit()
    for start in range(0, records, 1000):
        with transaction.atomic():
            ledger_append_many(
                [
                    LedgerEntry(**_sample_fields("backlog", start + k, actor, unit))
                    for k in range(min(1000, records - start))
                ]
            )
    t0 = time.perf_counter()
    sealed = seal_everything()
    return sealed, time.perf_counter() - t0


# --------------------------------------------------------------- cost per inference


def measure_append_cost(samples: int, batch: int = 1) -> tuple[float, float]:
    """Median ms per record of appending ``batch`` records in an open transaction (one
    ``ledger_append``, or one ``ledger_append_many``), and of the commit after it.

    As in a job, the transaction has already run a statement when the records are appended
    (there: the asset lock and the result), so the append pays no BEGIN.
    """
    from django.db import connection, transaction

    from audit.services import LedgerEntry, ledger_append, ledger_append_many

    actor, unit = _actor_and_unit()
    append_ms: list[float] = []
    commit_ms: list[float] = []
    warm_up = 20
    for i in range(samples + warm_up):
        fields = [_sample_fields("cost", i * batch + k, actor, unit) for k in range(batch)]
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            t0 = time.perf_counter()
            if batch == 1:
                ledger_append(**fields[0])
            else:
                ledger_append_many([LedgerEntry(**f) for f in fields])
            t1 = time.perf_counter()
        t2 = time.perf_counter()
        if i >= warm_up:
            append_ms.append((t1 - t0) * 1000 / batch)
            commit_ms.append((t2 - t1) * 1000 / batch)
    return statistics.median(append_ms), statistics.median(commit_ms)


def sample_images(side: int) -> list[bytes]:
    """Three photos (a cat, a face, a cup of coffee), long side ``side`` px, as JPEG."""
    import io

    from PIL import Image
    from skimage import data as skdata

    encoded = []
    for rgb in (skdata.chelsea(), skdata.astronaut(), skdata.coffee()):
        image = Image.fromarray(rgb)
        scale = side / max(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=90)
        encoded.append(buffer.getvalue())
    return encoded


def measure_model(batch: int = 16, repeats: int = 3) -> tuple[float, float]:
    """Median ms per image: the reference CLIP classifying ``batch`` filtered images, and
    the privacy filters on the sample images (640 px)."""
    from inference.clip_runtime import get_runtime
    from inference.filters import filter_image
    from inference.model_registry import default_model_id

    images = []
    filter_ms: list[float] = []
    for data in sample_images(640):
        filter_image(data)  # load the detectors
        t0 = time.perf_counter()
        outcome = filter_image(data)
        filter_ms.append((time.perf_counter() - t0) * 1000)
        if outcome.status == "ok" and outcome.image is not None:
            images.append(outcome.image)
    if not images:
        raise RuntimeError("no sample image passed the filters")
    batch_images = [images[i % len(images)] for i in range(batch)]
    runtime = get_runtime(default_model_id())
    runtime.classify(batch_images, LABELS)  # warm-up
    model_ms: list[float] = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        runtime.classify(batch_images, LABELS)
        model_ms.append((time.perf_counter() - t0) * 1000 / batch)
    return statistics.median(model_ms), statistics.median(filter_ms)


def measure_job(images: int = 32) -> tuple[float, float, float]:
    """A real zero-shot job over ``images`` filtered shape photos, run in this process.

    Returns (job wall ms per image, ledger ms per image within it, filter ms per image at
    ingest). The job's wall time runs from ``start_job`` to the last chunk: loading and
    checking each filtered image, the model, and storing the results with their audit
    records; every ``ledger_append``/``ledger_append_many`` call the job makes is timed.
    """
    from clipguard.datasets import services as dataset_services
    from clipguard.demo import images as demo_images
    from clipguard.demo.seed import seed_demo
    from inference import job_execution
    from inference import services as job_services
    from inference.clip_runtime import get_runtime
    from inference.ingest import filter_pending_asset
    from inference.model_registry import default_model_id
    from inference.models import JobStatus

    # Nothing is queued: this process runs the filters and the job itself.
    dataset_services.send_filter_asset = lambda asset_id: True
    job_services.send_run_job = lambda job_id: True
    world = seed_demo()
    uploads = [
        image
        for seed in range(images // len(demo_images.SHAPE_SCENES) + 1)
        for image in demo_images.shape_images(seed=1000 + seed)
    ][:images]
    filter_ms: list[float] = []
    for image in uploads:
        asset, _ = dataset_services.asset_upload(
            actor=world.alice, dataset=world.catalogue, data=image.data, filename=image.name
        )
        t0 = time.perf_counter()
        filter_pending_asset(asset.pk)
        filter_ms.append((time.perf_counter() - t0) * 1000)
    labels = [demo_images.shape_label(c, s) for c, s, _ in demo_images.SHAPE_SCENES]
    job = job_services.job_submit(
        actor=world.alice,
        request=job_services.JobRequest(
            dataset_id=world.catalogue.pk,
            purpose="product_tagging",
            deployment_context="retail",
            task="zero_shot_classification",
            labels=labels,
        ),
    )
    if job.status != JobStatus.QUEUED:
        raise RuntimeError(f"the bench job was not queued: {job.status} {job.status_reason}")
    get_runtime(default_model_id())  # loaded once per worker process, not per job

    # Time every ledger call the job makes (per record or per chunk, whichever it uses).
    audit_ms: list[float] = []
    originals = {
        name: getattr(job_execution, name)
        for name in ("ledger_append", "ledger_append_many")
        if hasattr(job_execution, name)
    }

    def timed(call: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                audit_ms.append((time.perf_counter() - t0) * 1000)

        return wrapper

    for name, call in originals.items():
        setattr(job_execution, name, timed(call))
    try:
        t0 = time.perf_counter()
        chunks = job_execution.start_job(str(job.pk)) or []
        for chunk in chunks:
            job_execution.process_chunk(str(job.pk), chunk)
        wall_ms = (time.perf_counter() - t0) * 1000
    finally:
        for name, call in originals.items():
            setattr(job_execution, name, call)
    job.refresh_from_db()
    if job.status != JobStatus.COMPLETED or job.processed_assets != images:
        raise RuntimeError(f"the bench job ended {job.status}: {job.processed_assets} processed")
    return wall_ms / images, sum(audit_ms) / images, statistics.median(filter_ms)


# -------------------------------------------------------------------------- report


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def table(outcomes: Sequence[Outcome]) -> str:
    lines = [
        "| writers | batch | records/s | append p50 ms | append p95 ms | txn p50 ms "
        "| txn p95 ms | sealer records/s | sealer ran s | queue at end | load (1 min) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        lines.append(
            f"| {o.config.writers} | {o.config.batch} | {o.records_per_s:,.0f} "
            f"| {_percentile(o.append_ms, 0.5):.2f} | {_percentile(o.append_ms, 0.95):.2f} "
            f"| {_percentile(o.txn_ms, 0.5):.2f} | {_percentile(o.txn_ms, 0.95):.2f} "
            f"| {o.sealed_per_s:,.0f} | {o.sealer_s:.1f} | {o.backlog:,} | {o.load:.1f} |"
        )
    return "\n".join(lines)


def cost_lines(cost: Cost) -> list[str]:
    lines = [
        "Audit cost per inference:",
        "",
        f"- `ledger_append`, one record in the caller's open transaction, one writer alone: "
        f"median {cost.append_ms:.2f} ms; the commit after it (shared with the result it "
        f"describes, paid by the job anyway): median {cost.commit_ms:.2f} ms.",
    ]
    if cost.chunk_append_ms is not None:
        lines.append(
            f"- `ledger_append_many` of 16 records (one job chunk, as jobs record their "
            f"results) in the caller's open transaction: median {cost.chunk_append_ms:.2f} ms "
            f"per record."
        )
    if (
        cost.model_ms_per_image is None
        or cost.filter_ms_per_image is None
        or cost.job_ms_per_image is None
        or cost.job_audit_ms_per_image is None
        or cost.job_filter_ms_per_image is None
    ):
        lines.append("- Model and job time not measured (`--skip-model`).")
        return lines
    model = cost.model_ms_per_image
    job = cost.job_ms_per_image
    share = 100 * cost.job_audit_ms_per_image / job
    lines += [
        f"- A real zero-shot job (reference CLIP, 32 filtered 256 px images, chunks of 16, "
        f"run in-process): {job:.1f} ms of wall time per image, of which the ledger "
        f"calls took {cost.job_audit_ms_per_image:.2f} ms: **{share:.1f}% of the "
        f"job's wall time** (target ≤ {TARGET_COST_PERCENT:g}%: "
        f"{'met' if share <= TARGET_COST_PERCENT else 'not met'}). Filtering those images "
        f"at ingest (once per asset, before any job) took {cost.job_filter_ms_per_image:.0f} "
        f"ms per image more.",
        f"- The model alone, batch of 16 filtered 640 px photos, {len(LABELS)} labels: "
        f"{model:.1f} ms per image, so the median append is {100 * cost.append_ms / model:.1f}% "
        f"of the model time; with the privacy filters on those photos "
        f"({cost.filter_ms_per_image:.0f} ms per image) "
        f"{100 * cost.append_ms / (model + cost.filter_ms_per_image):.2f}%.",
    ]
    return lines


def backlog_lines(sealed: int, seconds: float) -> list[str]:
    rate = sealed / seconds if seconds else 0.0
    return [
        f"Sealer alone on a backlog of {sealed:,} queued records (nothing else writing): "
        f"sealed in {seconds:.1f} s, {rate:,.0f} records/s (target ≥ "
        f"{TARGET_SEALER_RECORDS_PER_S:,}, above the writers' peak: "
        f"{'met' if rate >= TARGET_SEALER_RECORDS_PER_S else 'not met'})."
    ]


def verdict(outcomes: Sequence[Outcome]) -> str:
    best = max(outcomes, key=lambda o: o.records_per_s)
    reached = [o for o in outcomes if o.records_per_s >= TARGET_RECORDS_PER_S]
    if reached:
        smallest = min(reached, key=lambda o: (o.config.batch, o.config.writers))
        return (
            f"Target ≥ {TARGET_RECORDS_PER_S:,} records/s: reached from batch "
            f"{smallest.config.batch} with {smallest.config.writers} writers; best "
            f"{best.records_per_s:,.0f} records/s ({best.config.writers} writers, batch "
            f"{best.config.batch})."
        )
    return (
        f"Target ≥ {TARGET_RECORDS_PER_S:,} records/s: not reached in this run; best "
        f"{best.records_per_s:,.0f} records/s ({best.config.writers} writers, batch "
        f"{best.config.batch})."
    )


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPU cores{f' ({model})' if model else ''}, {platform.system()}"


def write_section(path: Path, body: str) -> None:
    """Replace (or add) the ``## Audit ledger`` section of ``path``; other sections stay."""
    text = path.read_text() if path.is_file() else "# Benchmarks\n"
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == SECTION)
    except StopIteration:
        new = text.rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n"
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        kept_after = lines[end:]
        new = "\n".join(lines[:start]) + ("\n" if start else "") + body.rstrip("\n") + "\n"
        if kept_after:
            new += "\n" + "\n".join(kept_after) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new)


# ---------------------------------------------------------------------------- main


def _ints(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("a comma-separated list of positive integers")
    return values


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.audit",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="per configuration")
    parser.add_argument("--writers", type=_ints, default=[2, 4], help="e.g. 2,4")
    parser.add_argument("--batches", type=_ints, default=[1, 10, 100], help="e.g. 1,10,100")
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER),
        help="a PostgreSQL URL whose role may create databases (env BENCH_POSTGRES_URL)",
    )
    parser.add_argument("--database", default="clipguard_audit_bench")
    parser.add_argument("--cost-samples", type=int, default=500)
    parser.add_argument(
        "--backlog",
        type=int,
        default=50_000,
        help="records queued before the sealer runs alone, to time it (0: skip)",
    )
    parser.add_argument("--skip-model", action="store_true", help="no CLIP/filter timing")
    parser.add_argument("--markdown", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    command = "python -m bench.audit" + (
        " " + " ".join(argv if argv is not None else sys.argv[1:])
        if (argv if argv is not None else sys.argv[1:])
        else ""
    )

    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="clipguard-audit-bench-"))
    os.environ["DATABASE_URL"] = database_url(args.server, args.database)
    os.environ["CLIPGUARD_VAR_DIR"] = str(workdir)
    os.environ["AUDIT_SIGNING_KEY_FILE"] = str(workdir / "keys" / "audit-signing.key")
    os.environ["AUDIT_CHECKPOINT_DIR"] = str(workdir / "checkpoints")
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    os.environ["DEBUG"] = "false"  # as in production: no query log kept per connection
    create_database(args.server, args.database)
    try:
        setup_django()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        _actor_and_unit()
        connection.close()
        outcomes = []
        for writers in args.writers:
            for batch in args.batches:
                config = Config(writers, batch)
                print(f"{writers} writers, batch {batch} ...", file=sys.stderr, flush=True)
                outcomes.append(run_config(config, args.seconds))
                seal_everything()
                connection.close()
        backlog: tuple[int, float] | None = None
        if args.backlog:
            print(f"sealing a backlog of {args.backlog:,} ...", file=sys.stderr, flush=True)
            backlog = measure_sealer_backlog(args.backlog)
        print("sealing and verifying ...", file=sys.stderr, flush=True)
        seal_everything()
        from audit.verification import verify_ledger

        report = verify_ledger()
        cost = Cost(*measure_append_cost(args.cost_samples))
        cost.chunk_append_ms, _ = measure_append_cost(max(1, args.cost_samples // 8), batch=16)
        if not args.skip_model:
            print("timing the reference CLIP ...", file=sys.stderr, flush=True)
            cost.model_ms_per_image, cost.filter_ms_per_image = measure_model()
            print("running a job ...", file=sys.stderr, flush=True)
            (
                cost.job_ms_per_image,
                cost.job_audit_ms_per_image,
                cost.job_filter_ms_per_image,
            ) = measure_job()
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (server_version,) = cursor.fetchone()
            cursor.execute("SHOW synchronous_commit")
            (sync_commit,) = cursor.fetchone()
        connection.close()
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(args.server, args.database)
        shutil.rmtree(workdir, ignore_errors=True)
    load_after = os.getloadavg()

    body = "\n".join(
        [
            SECTION,
            "",
            f"Measured {date.today().isoformat()} on {machine()}, shared with other work; "
            f"PostgreSQL {server_version} on the same machine (synchronous_commit "
            f"{sync_commit}). Load average (1/5/15 min) before: "
            f"{' / '.join(f'{x:.1f}' for x in load_before)}, after: "
            f"{' / '.join(f'{x:.1f}' for x in load_after)}.",
            "",
            f"Command: `.venv/bin/{command}` ({args.seconds:g} s per row; writers are "
            "processes, one sealer process runs beside them; a scratch database, dropped "
            "afterwards).",
            "",
            table(outcomes),
            "",
            "records/s: committed ledger records per second, all writers together. append: "
            "the `ledger_append` (batch 1) or `ledger_append_many` call in the open "
            "transaction; txn: append and commit. sealer records/s: records chained and "
            f"signed per second of the sealer's run, which starts with the writers and stops "
            f"after its first pass that ends past their {args.seconds:g} s: a run longer than "
            f"that (sealer ran s) means it fell behind while they wrote and caught up after; "
            f"queue at end: records still waiting when it stopped.",
            "",
            verdict(outcomes),
            *(backlog_lines(*backlog) if backlog is not None else []),
            f"After the runs {report.records:,} records were sealed and the ledger verified "
            f"{'clean' if report.ok else 'with problems: ' + str(report.problems[0])}.",
            "",
            *cost_lines(cost),
        ]
    )
    print(body)
    if not args.no_write:
        write_section(args.markdown, body)
        print(f"\nwritten to {args.markdown}", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
