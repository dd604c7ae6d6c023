"""Readouts: ridge regression recovering a known linear map, and a softmax classifier whose
cross-validated accuracy is high on separable labels and at chance on shuffled ones."""

import numpy as np
import pytest
import xarray as xr
from bioneuro.analysis import cross_validate, fit_ridge, fit_softmax, predict


def linear_data(seed=0, n=200, d=10, noise=0.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    w = rng.normal(size=d)
    y = x @ w + 3.0 + noise * rng.normal(size=n)
    features = xr.DataArray(x, dims=("time", "neuron"), coords={"neuron": np.arange(d) + 100})
    return features, y, w


def test_ridge_recovers_the_linear_map():
    features, y, w = linear_data()
    model = fit_ridge(features, y, alpha=0.0)
    np.testing.assert_allclose(model["coef"].sel(output=0), w, atol=1e-10)
    assert float(model["intercept"][0]) == pytest.approx(3.0)
    np.testing.assert_array_equal(model["neuron"], np.arange(10) + 100)
    guess = predict(model, features)
    assert guess.dims == ("time",)
    np.testing.assert_allclose(guess, y, atol=1e-9)
    # the penalty shrinks the weights; two outputs are fitted independently
    shrunk = fit_ridge(features, y, alpha=500.0)
    assert np.linalg.norm(shrunk["coef"]) < 0.8 * np.linalg.norm(w)
    both = fit_ridge(features, np.column_stack([y, -y]), alpha=0.0)
    np.testing.assert_allclose(both["coef"].sel(output=1), -w, atol=1e-10)
    with pytest.raises(ValueError, match="alpha"):
        fit_ridge(features, y, alpha=-1)


def test_ridge_cross_validated_r2_on_real_and_shuffled_targets():
    features, y, _ = linear_data(seed=1, noise=0.5)
    score = cross_validate(features, y, model="ridge", n_folds=5, alpha=1.0)
    assert score.dims == ("fold",) and score.sizes["fold"] == 5
    assert score.attrs["long_name"] == "R^2" and score.attrs["mean"] > 0.95
    shuffled = np.random.default_rng(2).permutation(y)
    assert cross_validate(features, shuffled, model="ridge", alpha=1.0).attrs["mean"] < 0.1


def class_counts(seed=0, trials_per_class=30, n_neurons=20):
    """Poisson spike counts of 3 stimulus classes (trial x neuron): each class drives its
    own third of the neurons at 12 spikes per trial, the rest fire 4."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(["left", "middle", "right"], trials_per_class)
    means = np.full((3, n_neurons), 4.0)
    for k in range(3):
        means[k, k * n_neurons // 3:(k + 1) * n_neurons // 3] = 12.0
    code = np.repeat(np.arange(3), trials_per_class)
    counts = rng.poisson(means[code])
    return xr.DataArray(counts, dims=("trial", "neuron"),
                        coords={"trial": np.arange(len(labels)),
                                "trial_condition": ("trial", labels)}), labels


def test_softmax_separable_classes_and_shuffled_labels():
    counts, labels = class_counts()
    score = cross_validate(counts, labels, model="softmax", n_folds=5)
    assert score.attrs["chance"] == pytest.approx(1 / 3)
    assert score.attrs["mean"] > 0.95 and score.attrs["long_name"] == "accuracy"
    shuffled = np.random.default_rng(5).permutation(labels)
    chance = cross_validate(counts, shuffled, model="softmax", n_folds=5)
    assert abs(chance.attrs["mean"] - 1 / 3) < 0.15
    # a classifier fitted on all trials: labels, and probabilities that sum to 1
    model = fit_softmax(counts, counts["trial_condition"])
    assert list(model["label"].values) == ["left", "middle", "right"]
    assert model.attrs["converged"] == 1
    guess = predict(model, counts)
    assert guess.dims == ("trial",) and np.mean(guess.values == labels) > 0.95
    prob = predict(model, counts, probabilities=True)
    assert prob.dims == ("trial", "label")
    np.testing.assert_allclose(prob.sum("label"), 1.0)


def test_bad_arguments_name_the_field():
    counts, labels = class_counts(trials_per_class=3)
    with pytest.raises(ValueError, match="model"):
        cross_validate(counts, labels, model="svm")
    with pytest.raises(ValueError, match="n_folds"):
        cross_validate(counts, labels, n_folds=100)
    with pytest.raises(ValueError, match="target"):
        fit_softmax(counts, labels[:4])
    with pytest.raises(ValueError, match="features"):
        fit_ridge(np.zeros(5), np.zeros(5))
