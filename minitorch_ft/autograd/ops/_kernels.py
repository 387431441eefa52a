"""Array kernels numpy lacks, written for accuracy: erf, erfc, erfinv, a stable sigmoid.

numpy has no erf family and scipy is not a dependency.

float64: two Chebyshev expansions, fitted for this project against `math.erf`/`math.erfc`
(max relative error about 1.3e-15): erf(x)/x in x^2 on |x| < 1, x*exp(x^2)*erfc(x) in 1/x
beyond. float32/float16 erf (GELU's hot path) uses a shorter mask-free form, within 3 ulp:
the Taylor series below 0.8 and erfc(x) = t exp(P(t) - x^2), t = 1/(1 + 0.47|x|), above.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.polynomial import chebyshev

# erf(x) / x as a Chebyshev series in s = 2x^2 - 1, for |x| < 1.
_SMALL = np.array(
    [
        0.9754769393826543,
        -0.1422612051037136,
        0.010035582187599786,
        -0.0005768764699767642,
        2.7419931252206848e-05,
        -1.1043175507101028e-06,
        3.8488755482451616e-08,
        -1.1808582216382574e-09,
        3.2334258467761804e-11,
        -7.99085075911677e-13,
        1.802015244617556e-14,
        -3.4911822935073524e-16,
        -2.6370157564322743e-18,
    ]
)

# x * exp(x^2) * erfc(x) as a Chebyshev series in s = 2/x - 1, for x >= 1.
_LARGE = np.array(
    [
        0.5039781175024719,
        -0.07211219804839171,
        -0.007495316026856742,
        0.003838051895687341,
        -0.000641012669971238,
        -1.554054880771765e-05,
        4.323024310077532e-05,
        -1.376937445659522e-05,
        1.874798352988526e-06,
        3.607257876115402e-07,
        -3.0344369161812665e-07,
        9.587247084633584e-08,
        -1.3583267787390432e-08,
        -3.21915743338503e-09,
        2.8746768793020556e-09,
        -1.0331212209919745e-09,
        1.9246546023081705e-10,
        1.9605681260626493e-11,
        -3.219433838724992e-11,
        1.4423203673046528e-11,
        -3.7317521776353536e-12,
        2.195590544153427e-13,
        3.5246007678585885e-13,
        -2.2329283482514874e-13,
        7.839319107150877e-14,
        -1.4016093300911274e-14,
        -3.2018917007940312e-15,
    ]
)

# Taylor coefficients of erf(x)/x in x^2: 2/sqrt(pi) (-1)^n / (n! (2n + 1)).
_TAYLOR32 = [
    np.float32(2 / math.sqrt(math.pi) * (-1) ** n / (math.factorial(n) * (2 * n + 1)))
    for n in range(12)
]

# P(t) of the float32 form, a least-squares fit of log(erfc(x) e^(x^2) / t) on |x| >= 0.5.
_TAIL32 = [
    np.float32(c)
    for c in (
        -1.3273875245904574,
        0.9999990636584625,
        0.3896041367229687,
        0.11124337643267754,
        -0.03751107055327998,
        -0.20664865943081798,
        0.2512352213500172,
        -0.8838565502721604,
        1.4050137653730441,
        -0.928605722405219,
        0.22697800758001155,
    )
]

# Beyond this 1 - erfc(x) is exactly 1 in float64; erfc itself underflows to 0 past 27.3.
_ERF_ONE = 27.0
_ERFC_ZERO = 28.0


def _erfc_tail(ax: np.ndarray) -> np.ndarray:
    """erfc(ax) for ax >= 1 (float64)."""
    with np.errstate(over="ignore", under="ignore"):
        return np.exp(-ax * ax) * chebyshev.chebval(2.0 / ax - 1.0, _LARGE) / ax


def _horner(coefs, z: np.ndarray) -> np.ndarray:
    acc = np.full_like(z, coefs[-1])
    for c in coefs[-2::-1]:
        acc *= z
        acc += c
    return acc


@np.errstate(all="ignore")  # the unused branch may overflow for huge |x|
def _erf32(x: np.ndarray) -> np.ndarray:
    """float32 erf without masks: both branches everywhere, then one np.where."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 0:  # numpy returns scalars for 0-d inputs, which out= cannot take
        return _erf32(x.reshape(1)).reshape(())
    z = x * x
    small = _horner(_TAYLOR32, z)
    small *= x
    t = np.abs(x)
    t *= np.float32(0.47)
    t += np.float32(1)
    np.reciprocal(t, out=t)
    tail = _horner(_TAIL32, t)
    tail -= z
    np.exp(tail, out=tail)
    tail *= t
    np.subtract(np.float32(1), tail, out=tail)
    np.copysign(tail, x, out=tail)
    return np.where(np.abs(x) < np.float32(0.8), small, tail)


def erf(x: np.ndarray) -> np.ndarray:
    """Elementwise error function in x's dtype (float64 to ~1e-15, float32 to 3 ulp)."""
    if x.dtype != np.float64:
        return _erf32(x).astype(x.dtype, copy=False)
    x64 = np.asarray(x, dtype=np.float64)
    ax = np.abs(x64)
    small = ax < 1.0
    out = np.empty_like(x64)
    xs = x64[small]
    out[small] = xs * chebyshev.chebval(2.0 * xs * xs - 1.0, _SMALL)
    large = ~small & (ax < _ERF_ONE)
    out[large] = np.copysign(1.0 - _erfc_tail(ax[large]), x64[large])
    huge = ~small & ~large
    out[huge] = np.sign(x64[huge])  # +-1, and nan stays nan
    return out.astype(x.dtype, copy=False)


def erfc(x: np.ndarray) -> np.ndarray:
    """Elementwise complementary error function 1 - erf(x), accurate in the far tail."""
    x64 = np.asarray(x, dtype=np.float64)
    ax = np.abs(x64)
    small = ax < 1.0
    out = np.empty_like(x64)
    xs = x64[small]
    out[small] = 1.0 - xs * chebyshev.chebval(2.0 * xs * xs - 1.0, _SMALL)
    large = ~small & ~np.isnan(x64)
    tail = _erfc_tail(np.minimum(ax[large], _ERFC_ZERO))
    out[large] = np.where(x64[large] > 0, tail, 2.0 - tail)
    out[np.isnan(x64)] = np.nan
    return out.astype(x.dtype, copy=False)


@np.errstate(all="ignore")
def erfinv(y: np.ndarray) -> np.ndarray:
    """Inverse erf: Winitzki's closed-form guess, then Newton steps on erf (quadratic)."""
    y64 = np.asarray(y, dtype=np.float64)
    log_term = np.log1p(-y64 * y64)
    a = 0.147
    first = 2 / (math.pi * a) + log_term / 2
    x = np.copysign(np.sqrt(np.sqrt(first * first - log_term / a) - first), y64)
    finite = np.isfinite(x)
    for _ in range(4):
        step = (erf(x) - y64) * np.exp(x * x) * (math.sqrt(math.pi) / 2)
        x = np.where(finite, x - step, x)
    x = np.where(np.abs(y64) == 1, np.copysign(np.inf, y64), x)
    return x.astype(np.asarray(y).dtype, copy=False)


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Numerically stable logistic: exp only ever sees -|a|, so it cannot overflow."""
    a = np.asarray(a)
    if a.ndim == 0:
        return sigmoid(a.reshape(1)).reshape(())
    e = np.abs(a)
    np.negative(e, out=e)
    np.exp(e, out=e)
    r = e + 1
    np.reciprocal(r, out=r)  # sigmoid(|a|)
    e *= r  # sigmoid(-|a|)
    return np.where(a >= 0, r, e)
