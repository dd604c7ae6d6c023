"""Readouts trained offline on recorded population activity: ridge regression and a
softmax (multinomial logistic) classifier, with k-fold cross-validation.

Features are a DataArray with a sample dimension (trials or time bins) and a feature
dimension (neurons), e.g. `trial_spike_counts` (``trial`` x ``neuron``) or
`binned_spike_counts` (``time`` x ``neuron``). NumPy (and SciPy's L-BFGS for the softmax)
only: no scikit-learn needed.
"""

import numpy as np
import xarray as xr

__all__ = ["fit_ridge", "fit_softmax", "predict", "cross_validate"]


def _matrix(features, feature_dim):
    """``(X, sample_dim, feature_dim, feature coordinate)`` from an array or DataArray."""
    if isinstance(features, xr.DataArray):
        if features.ndim != 2:
            raise ValueError(f"features: expected 2 dims (samples x features), got "
                             f"{features.dims}")
        fdim = feature_dim if feature_dim in features.dims else features.dims[-1]
        sdim = next(d for d in features.dims if d != fdim)
        return (np.asarray(features.transpose(sdim, fdim).values, float), sdim, fdim,
                features[fdim].values if fdim in features.coords
                else np.arange(features.sizes[fdim]))
    x = np.asarray(features, float)
    if x.ndim != 2:
        raise ValueError(f"features: expected a 2-d array (samples x features), got shape "
                         f"{x.shape}")
    return x, "sample", feature_dim, np.arange(x.shape[1])


def _targets(target, n):
    y = np.asarray(target.values if isinstance(target, xr.DataArray) else target)
    if len(y) != n:
        raise ValueError(f"target: got {len(y)} values for {n} samples")
    return y


def fit_ridge(features, target, alpha=1.0, feature_dim="neuron"):
    """Linear readout ``y = X W + b`` by ridge regression (closed form).

    ``W = (Xc' Xc + alpha I)^-1 Xc' yc`` on centred data; the intercept is not penalised.

    Parameters
    ----------
    features : xarray.DataArray or array (samples x features)
    target : array (samples,) or (samples x outputs)
    alpha : float
        L2 penalty (>= 0).

    Returns
    -------
    xarray.Dataset
        ``coef`` on (feature, ``output``), ``intercept`` on ``output``; attribute
        ``kind = "ridge"`` (see `predict`).

    References
    ----------
    Hoerl & Kennard (1970) Technometrics 12:55-67.
    """
    if not alpha >= 0:
        raise ValueError(f"alpha: got {alpha!r}; expected >= 0")
    x, _, fdim, fcoord = _matrix(features, feature_dim)
    y = _targets(target, len(x)).astype(float)
    y2 = y.reshape(len(y), -1)
    x_mean, y_mean = x.mean(axis=0), y2.mean(axis=0)
    xc, yc = x - x_mean, y2 - y_mean
    gram = xc.T @ xc + alpha * np.eye(x.shape[1])
    coef = np.linalg.lstsq(gram, xc.T @ yc, rcond=None)[0]
    intercept = y_mean - x_mean @ coef
    return xr.Dataset({"coef": ((fdim, "output"), coef), "intercept": ("output", intercept)},
                      coords={fdim: fcoord, "output": np.arange(y2.shape[1])},
                      attrs={"kind": "ridge", "alpha": float(alpha),
                             "feature_dim": fdim, "squeeze": int(y.ndim == 1)})


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_softmax(features, labels, alpha=1e-2, max_iter=500, feature_dim="neuron"):
    """Softmax (multinomial logistic regression) classifier, L2-regularised.

    Features are standardised (z-scored with the training means and deviations) and the
    mean cross-entropy plus ``alpha/2 |W|^2`` is minimised with L-BFGS.

    Parameters
    ----------
    features : xarray.DataArray or array (samples x features)
    labels : array of class labels (samples,)
    alpha : float
        L2 penalty on the weights.
    max_iter : int

    Returns
    -------
    xarray.Dataset
        ``coef`` on (feature, ``label``), ``intercept`` on ``label``, ``feature_mean`` and
        ``feature_scale`` on the feature dim; attribute ``kind = "softmax"``.

    References
    ----------
    Bishop (2006) Pattern Recognition and Machine Learning, sec. 4.3.4.
    """
    from scipy.optimize import minimize

    x, _, fdim, fcoord = _matrix(features, feature_dim)
    y = _targets(labels, len(x))
    classes, code = np.unique(y, return_inverse=True)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    n, d, k = z.shape[0], z.shape[1], len(classes)
    onehot = np.eye(k)[code]

    def loss(theta):
        w, b = theta[:d * k].reshape(d, k), theta[d * k:]
        p = _softmax(z @ w + b)
        value = -np.sum(onehot * np.log(p + 1e-300)) / n + 0.5 * alpha * np.sum(w * w)
        grad_z = (p - onehot) / n
        return value, np.concatenate([(z.T @ grad_z + alpha * w).ravel(), grad_z.sum(0)])

    result = minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B",
                      options={"maxiter": int(max_iter)})
    w, b = result.x[:d * k].reshape(d, k), result.x[d * k:]
    return xr.Dataset(
        {"coef": ((fdim, "label"), w), "intercept": ("label", b),
         "feature_mean": (fdim, mean), "feature_scale": (fdim, scale)},
        coords={fdim: fcoord, "label": classes},
        attrs={"kind": "softmax", "alpha": float(alpha), "feature_dim": fdim,
               "converged": int(result.success), "n_iter": int(result.nit)})


def predict(model, features, probabilities=False):
    """Apply a fitted readout (`fit_ridge` or `fit_softmax`) to features.

    Returns
    -------
    xarray.DataArray
        Ridge: predicted targets on the sample dim (and ``output``). Softmax: predicted
        labels, or with ``probabilities=True`` class probabilities on (sample, ``label``).
    """
    fdim = model.attrs["feature_dim"]
    x, sdim, _, _ = _matrix(features, fdim)
    coords = {sdim: features[sdim].values} if isinstance(features, xr.DataArray) \
        and sdim in features.coords else {}
    if model.attrs["kind"] == "ridge":
        y = x @ model["coef"].values + model["intercept"].values
        if model.attrs["squeeze"]:
            return xr.DataArray(y[:, 0], dims=sdim, coords=coords, name="prediction")
        return xr.DataArray(y, dims=(sdim, "output"), coords=coords, name="prediction")
    z = (x - model["feature_mean"].values) / model["feature_scale"].values
    p = _softmax(z @ model["coef"].values + model["intercept"].values)
    if probabilities:
        return xr.DataArray(p, dims=(sdim, "label"),
                            coords={**coords, "label": model["label"].values},
                            name="probability", attrs={"units": "1"})
    return xr.DataArray(model["label"].values[p.argmax(axis=1)], dims=sdim, coords=coords,
                        name="prediction")


def cross_validate(features, target, model="softmax", n_folds=5, seed=0,
                   feature_dim="neuron", **options):
    """k-fold cross-validated score of a readout.

    Parameters
    ----------
    features : xarray.DataArray or array (samples x features)
    target : labels (``"softmax"``) or values (``"ridge"``) per sample
    model : {"softmax", "ridge"}
    n_folds : int
        Folds (samples shuffled once with `seed`; for the classifier each class is spread
        evenly over the folds).
    **options
        Passed to `fit_softmax` / `fit_ridge` (``alpha``, ...).

    Returns
    -------
    xarray.DataArray
        Score on ``fold``: accuracy (softmax) or coefficient of determination R^2 (ridge);
        attributes ``mean``, ``std`` and, for the classifier, ``chance`` (the frequency of
        the most common class).
    """
    if model not in ("softmax", "ridge"):
        raise ValueError(f"model: got {model!r}; expected 'softmax' or 'ridge'")
    x, _, fdim, _ = _matrix(features, feature_dim)
    y = _targets(target, len(x))
    if not 2 <= int(n_folds) <= len(x):
        raise ValueError(f"n_folds: got {n_folds!r}; expected 2..{len(x)} (samples)")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x))
    if model == "softmax":       # stratified: deal each class's samples round the folds
        order = order[np.argsort(y[order], kind="stable")]
    fold_of = np.empty(len(x), int)
    fold_of[order] = np.arange(len(x)) % int(n_folds)
    fit = fit_softmax if model == "softmax" else fit_ridge
    scores = np.empty(int(n_folds))
    for k in range(int(n_folds)):
        train, test = fold_of != k, fold_of == k
        fitted = fit(x[train], y[train], feature_dim=fdim, **options)
        guess = predict(fitted, x[test]).values
        if model == "softmax":
            scores[k] = np.mean(guess == y[test])
        else:
            truth = y[test].astype(float).reshape(guess.shape)
            total = np.sum((truth - truth.mean(axis=0)) ** 2)
            scores[k] = 1.0 - np.sum((truth - guess) ** 2) / total if total > 0 else np.nan
    attrs = {"units": "1", "long_name": "accuracy" if model == "softmax" else "R^2",
             "model": model, "mean": float(np.nanmean(scores)),
             "std": float(np.nanstd(scores))}
    if model == "softmax":
        attrs["chance"] = float(np.max(np.unique(y, return_counts=True)[1]) / len(y))
    return xr.DataArray(scores, dims="fold", coords={"fold": np.arange(int(n_folds))},
                        name="cv_score", attrs=attrs)
