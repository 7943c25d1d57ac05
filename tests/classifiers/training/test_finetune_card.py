from classifiers.training.finetune_card import comparison_figures


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
