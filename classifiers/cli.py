"""The classifiers' commands (entry point ``classifiers`` of ``vigil.commands``): ``vigil classify``,
``train``, ``recalibrate``, ``evaluate``, ``known-add`` and the consumers ``vigil consume classify|feedback``, each a
thin shell over classifiers/. They need the ``ml`` extra, imported inside each command."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from vigil.cli.consume import IdleExit, MetricsPort, consumer_settings
from vigil.cli.context import current_settings, fail
from vigil.cli.registry import Commands
from vigil.logs import get_logger
from vigil.warehouse import WarehouseError

log = get_logger(__name__)


ML = ("ml",)


def register(commands: Commands) -> None:
    commands.command("classify", classify_command, extras=ML,
                     help="Label a JSON-lines file of {id, text} against the taxonomy.")
    commands.command("train", train_command, extras=ML,
                     help="Train the classifier from a versioned config; writes model, card and metrics.")
    commands.command("recalibrate", recalibrate_command, extras=ML,
                     help="Refit a fine-tuned model's Platt scaling and thresholds on its calibration part.")
    commands.command("evaluate", evaluate_command, extras=ML,
                     help="Evaluate a model on held-back real text, the functional suite and the CSTO statement.")
    commands.command("known-add", known_add_command, extras=ML,
                     help="Add confirmed propaganda (JSON lines of {id, text, labels}) to the known bank.")
    consume = commands.group("consume")
    consume.command("classify", consume_classify_command, extras=ML,
                    help="Label raw documents with the configured model; publish classifications.")
    consume.command("feedback", consume_feedback_command, extras=ML,
                    help="Store reviewers' decisions; confirmed propaganda joins the known-content bank.")


def consume_classify_command(idle_exit: IdleExit = None, metrics_port: MetricsPort = None) -> None:
    from classifiers.consumer import run_classify
    from vigil.bus.runner import stop_on_signals

    c = run_classify(consumer_settings("classify", metrics_port), stop_on_signals(), idle_exit)
    typer.echo(f"raw-documents: {c.consumed} consumed, {c.written} classified, {c.dead_letters} dead letters")


def consume_feedback_command(idle_exit: IdleExit = None, metrics_port: MetricsPort = None) -> None:
    from classifiers.feedback import run_feedback
    from vigil.bus.runner import stop_on_signals

    settings = consumer_settings("feedback", metrics_port, stores=True)
    try:
        c = run_feedback(settings, stop_on_signals(), idle_exit)
    except WarehouseError as exc:
        fail(str(exc))
    typer.echo(f"review-decisions: {c.consumed} consumed, {c.written} stored, {c.dead_letters} dead letters")


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def classify_command(
    in_path: Annotated[Path, typer.Option("--in", help="Input JSON lines: id, text, any other fields.")],
    out_path: Annotated[Path, typer.Option("--out", help="Output JSON lines: id, scores, labels, evidence, ...")],
    model: Annotated[str | None, typer.Option("--model", help="'default', a trained folder or a Hugging Face id.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per batch.")] = 64,
) -> None:
    from classifiers.classify_file import classify_file
    from classifiers.labeller import build_labeller

    if not in_path.is_file():
        fail(f"input file {in_path} does not exist")
    labeller = build_labeller(current_settings(), model)
    console = Console(stderr=True)

    def on_bad(number: int, why: str) -> None:
        console.print(f"line {number}: skipped: {why}", markup=False)

    columns = (TextColumn("classify"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rate]} docs/s"), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=not console.is_terminal and os.environ.get("VIGIL_PROGRESS") != "1") as bar:
        task = bar.add_task("classify", total=_count_lines(in_path), rate="-")

        def on_progress(n: int) -> None:
            bar.advance(task, n)
            speed = bar.tasks[task].speed
            bar.update(task, rate=f"{speed:.1f}" if speed else "-")

        counts = classify_file(labeller, in_path, out_path, batch_size=batch_size, on_bad=on_bad, on_progress=on_progress)
        elapsed = bar.tasks[task].elapsed or 0.0
    rate = counts.written / elapsed if elapsed else 0.0
    console.print(f"classified {counts.written} documents ({rate:.1f} docs/s), skipped {counts.bad} bad lines "
                  f"-> {out_path}", markup=False)


def train_command(
    config: Annotated[Path | None, typer.Option(
        "--config", help="Versioned training config (YAML; default: the packaged configs/default.yaml).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", help="Model folder (default: <home>/models/<model_version>; the packaged model is "
                         "replaced only when you name classifiers/models/default here).")] = None,
    data: Annotated[Path | None, typer.Option("--data", help="Shared data folder (overrides the config).")] = None,
    device: Annotated[str | None, typer.Option(
        "--device", help="Where fine-tuning runs: auto, cpu, cuda, cuda:1 (overrides the config).")] = None,
) -> None:
    from classifiers.training.config import DEFAULT_CONFIG, load_config
    from classifiers.training.run import run_training

    config = config or DEFAULT_CONFIG
    overrides = {k: v for k, v in {"output_dir": output, "data_dir": data, "device": device}.items() if v is not None}
    try:
        cfg = load_config(config, **overrides)
        if output is None:
            cfg = load_config(config, **overrides, output_dir=current_settings().home / "models" / cfg.model_version)
    except (OSError, ValueError) as exc:
        fail(str(exc))
    metrics = run_training(cfg, _reviews(cfg))
    typer.echo(f"wrote {cfg.output_dir} (model {cfg.model_version}); required macro-F1 by language: "
               f"{metrics['required_macro_f1']}; max identity FPR: {metrics['suite']['max_identity_fpr']:.3f}")


def _reviews(cfg) -> list:
    """Reviewer decisions as training examples, when the config includes them (none if the warehouse is down)."""
    from classifiers.training.reviews import reviewed_examples
    from vigil.warehouse import connect

    if not cfg.include_reviews:
        return []
    try:
        with connect(current_settings()) as warehouse:
            return reviewed_examples(warehouse, cfg.categories)
    except WarehouseError as exc:
        log.warning("no reviewer decisions read from the warehouse: %s", exc)
        return []


def recalibrate_command(
    model: Annotated[Path, typer.Option("--model", help="A fine-tuned model folder; its manifest is rewritten.")],
    version: Annotated[str, typer.Option(
        "--version", help="The recalibrated model's version (it labels differently, so it needs a new one).")],
    config: Annotated[Path | None, typer.Option(
        "--config", help="The config the model was trained with, whose split gives the calibration part "
                         "(default: the packaged configs/default.yaml).")] = None,
    data: Annotated[Path | None, typer.Option("--data", help="Shared data folder (overrides the config).")] = None,
    device: Annotated[str | None, typer.Option("--device", help="auto, cpu, cuda (overrides the config).")] = None,
) -> None:
    from classifiers.training.config import DEFAULT_CONFIG, load_config
    from classifiers.training.recalibrate import recalibrate
    from classifiers.training.train import gather_examples

    overrides = {k: v for k, v in {"data_dir": data, "device": device}.items() if v is not None}
    try:
        cfg = load_config(config or DEFAULT_CONFIG, **overrides)
    except (OSError, ValueError) as exc:
        fail(str(exc))
    if not cfg.data_dir.is_dir():
        fail(f"no shared data at {cfg.data_dir}: the calibration part is read from it (--data)")
    try:
        changes = recalibrate(model, cfg, gather_examples(cfg, _reviews(cfg)), version)
    except (OSError, ValueError) as exc:
        fail(str(exc))
    for key, change in changes.items():
        typer.echo(f"{key}: dev macro-F1 {change['dev_macro_f1']['before']} -> {change['dev_macro_f1']['after']}")
    typer.echo(f"rewrote {model / 'vigil_model.json'} as {version}; run vigil evaluate --model {model} to measure it")


def evaluate_command(
    data: Annotated[Path | None, typer.Option(
        "--data", help="Labelled JSON lines (text, labels, optional language); default: the real rows of the "
                       "training split's test part, read from the shared data.")] = None,
    model: Annotated[str | None, typer.Option(
        "--model", help="'default', a trained folder or a Hugging Face id (default: classifier.model).")] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", help="Training config whose split gives the held-back rows (default: the packaged one).")] = None,
    shared_data: Annotated[Path | None, typer.Option(
        "--shared-data", help="Shared data folder (overrides the config's data_dir).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Also write MODEL_CARD.md and metrics.json here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON instead of tables.")] = False,
    against: Annotated[str | None, typer.Option(
        "--against", help="Another model ('default', a folder or a Hugging Face id) compared with --model on the "
                          "same real rows, with paired 95% intervals of the differences.")] = None,
) -> None:
    from classifiers.evaluation.evaluate import (
        evaluate,
        heldout_real_rows,
        read_labelled,
        write_report,
    )
    from classifiers.evaluation.report import render_terminal
    from classifiers.labeller import build_labeller, resolve_model
    from classifiers.model.predict import DEFAULT_MODEL_DIR

    if data is not None and not data.is_file():
        fail(f"data file {data} does not exist")
    settings = current_settings()
    model = resolve_model(settings, model)
    labeller = build_labeller(settings, model)
    other = build_labeller(settings, resolve_model(settings, against)) if against is not None else None
    skipped: list[int] = []
    note = None
    try:
        if data is not None:
            def on_bad(number: int, reason: str) -> None:
                skipped.append(number)
                typer.echo(f"line {number}: skipped: {reason}", err=True)

            rows, source = read_labelled(data, on_bad), str(data)
            if not rows:
                fail(f"{data}: no valid labelled lines")
        else:
            rows, folder = heldout_real_rows(config, shared_data)
            source = f"real rows of the training split's test part ({folder})"
            if not rows:
                note = (f"Real-text figures need the labelled data: {folder} is absent, so only the functional "
                        "suite and the statement's paragraphs were run.")
                typer.echo(note, err=True)
        metrics = evaluate(labeller, rows, source, note=note, skipped=skipped, against=other)
    except (OSError, ValueError) as exc:
        fail(str(exc))
    if out is not None:
        folder = DEFAULT_MODEL_DIR if model == "default" else Path(model)
        write_report(metrics, out, folder if folder.is_dir() else None)
    typer.echo(json.dumps(metrics, indent=2, ensure_ascii=False) if as_json else render_terminal(metrics))
    if out is not None:
        typer.echo(f"-> {out}/MODEL_CARD.md, {out}/metrics.json", err=True)


def known_add_command(
    in_path: Annotated[Path, typer.Option("--in", help="JSON lines: id, text, labels (confirmed categories).")],
) -> None:
    from classifiers.known.bank import default_bank_path, updating

    settings = current_settings()
    added = 0
    with updating(default_bank_path(settings.home), settings.classifier.known_threshold) as bank:
        for number, line in enumerate(in_path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                bank.add(str(row["id"]), row["text"], list(row["labels"]), row.get("document_id"))
                added += 1
            except (ValueError, KeyError, TypeError) as exc:
                typer.echo(f"line {number}: skipped: {exc}", err=True)
    typer.echo(f"added {added} items; the bank holds {len(bank)} -> {bank.path}")
