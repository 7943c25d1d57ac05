import json

from classifiers.training.config import DEFAULT_CONFIG
from classifiers.training.finetune_card import comparison_figures, render_finetuned_card

SHIPPED = DEFAULT_CONFIG.parents[1] / "models" / "default" / "metrics.json"


def test_comparison_figures_are_flat_per_language_suite_figure_and_data_set():
    evaluation = {
        "figures": {"by_language": {"ru": {"macro_f1": 0.6, "binary_at_fpr": {"f1": 0.5}}},
                    "by_source": {"ru-ethnohate": {"binary_at_fpr": {"f1": 0.55}}, "mlma": {"binary_at_fpr": {}}}},
        "suite": {"by_language": {"ru": {"summary": {"functional_accuracy": 0.61, "spelling": {"spell_leet_recall": 0.4}}}}},
    }
    out = comparison_figures(evaluation)
    assert out["real text macro-F1 (ru)"] == 0.6 and out["real text binary F1 at FPR <= 5% (ru)"] == 0.5
    assert out["functional_accuracy (ru)"] == 0.61 and out["spell_leet_recall (ru)"] == 0.4
    assert out["real text binary F1 at FPR <= 5%, ru-ethnohate only"] == 0.55
    assert out["real text binary F1 at FPR <= 5%, mlma only"] is None
    assert out["real text macro-F1 (en)"] is None  # a language the report lacks is a gap, not an error
    assert not any("only" in key for key in comparison_figures({}))  # an older report without data sets
    assert not any("interval" in key for key in out)  # an older report without intervals


def test_comparison_figures_give_the_intervals_a_report_has():
    block = {"macro_f1": 0.678, "binary_at_fpr": {"f1": 0.622},
             "intervals": {"macro_f1": [0.6107, 0.734], "binary_f1": [0.4834, 0.7121]}}
    out = comparison_figures({"figures": {"by_language": {"ru": block}}})
    assert out["real text macro-F1 (ru), 95% interval"] == "0.611 to 0.734"
    assert out["real text binary F1 at FPR <= 5% (ru), 95% interval"] == "0.483 to 0.712"
    keys = list(out)
    assert keys.index("real text macro-F1 (ru), 95% interval") == keys.index("real text macro-F1 (ru)") + 1


def test_the_card_lists_an_ensemble_routes_members_and_where_they_trained():
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    members = [{"seed": 13, "recipe": {"ft_epochs": 3.0, "lora_r": 8}, "steps": 888, "train_seconds": 92.9},
               {"seed": 2, "recipe": {"ft_epochs": 6.0, "lora_r": 32}, "steps": 1776, "train_seconds": 137.7}]
    heads = {**shipped["heads"], "e5": {**shipped["heads"]["e5"], "member_training": members, "hardware": "a GPU"}}
    card = render_finetuned_card({**shipped, "heads": heads})
    assert "An ensemble of 2 members whose calibrated probabilities are averaged, trained on a GPU" in card
    assert "- seed 13: 3.0 passes, LoRA rank 8, 888 steps, 93 s" in card
    assert "- seed 2: 6.0 passes, LoRA rank 32, 1776 steps, 138 s" in card
    assert "An ensemble" not in render_finetuned_card(shipped)  # one model per route: no member list


def test_the_card_reports_a_routes_runs_on_a_gpu_beside_its_cpu_time():
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    shipped.pop("gpu_training", None)
    gpu = {"route": "e5", "hardware": "one H100", "columns": ["test F1"], "conclusion": "Nothing beat it.",
           "runs": [{"name": "A", "recipe": "3 passes", "seed": 13, "steps": 888, "train_seconds": 92.9,
                     "same_as_shipped": True, "figures": {"test F1": 0.634}},
                    {"name": "B", "recipe": "6 passes", "seed": 13, "steps": 1776, "train_seconds": 160.6,
                     "figures": {"test F1": None}}]}
    card = render_finetuned_card({**shipped, "gpu_training": gpu})
    cpu = shipped["heads"]["e5"]["train_seconds"]
    assert f"took 93 s (888 steps) there, against {cpu:,.0f} s on" in card
    assert "| A | 3 passes | 13 | 888 | 93 | 0.634 |" in card and "| B | 6 passes | 13 | 1776 | 161 | - |" in card
    assert "Nothing beat it." in card
    assert "### Route `e5` on" not in render_finetuned_card(shipped)
