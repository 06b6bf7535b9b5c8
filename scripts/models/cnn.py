"""A small convolutional network in NumPy, for the 8x8 digits (scikit-learn has none).

The network is `Conv(1 -> CHANNELS, 3x3, padding 1) -> ReLU -> MaxPool(2x2, stride 2) -> Flatten ->
Dense(CHANNELS * 16 -> 10)`, trained with softmax cross-entropy and Adam on mini-batches, every
random draw from one seeded generator, so a second run gives the same weights. Forward and
backward passes are written out below (im2col for the convolution); `train.py` exports the
result as ONNX `Conv -> Relu -> MaxPool -> Flatten -> Gemm`.
"""

import numpy as np

SIDE = 8
KERNEL = 3
POOL = 2


def patches(images):
    """(n, 8, 8) images -> (n, 64, 9): each output pixel's 3x3 neighbourhood, zero-padded,
    in kernel order (row offset, then column offset)."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    views = [padded[:, i : i + SIDE, j : j + SIDE] for i in range(KERNEL) for j in range(KERNEL)]
    return np.stack(views, axis=-1).reshape(len(images), SIDE * SIDE, KERNEL * KERNEL)


class Cnn:
    """The parameters: conv weights (channels, 9) and bias, dense weights (10, channels*16)."""

    def __init__(self, channels, classes, rng):
        self.channels = channels
        pooled = channels * (SIDE // POOL) ** 2
        self.conv_w = rng.normal(0.0, np.sqrt(2.0 / 9), (channels, KERNEL * KERNEL))
        self.conv_b = np.zeros(channels)
        self.dense_w = rng.normal(0.0, np.sqrt(1.0 / pooled), (classes, pooled))
        self.dense_b = np.zeros(classes)

    def params(self):
        return [self.conv_w, self.conv_b, self.dense_w, self.dense_b]

    def forward(self, x, keep=False):
        """Logits of flat (n, 64) inputs; with `keep`, also what the backward pass needs."""
        n, c, half = len(x), self.channels, SIDE // POOL
        cols = patches(x.reshape(n, SIDE, SIDE))
        z = cols @ self.conv_w.T + self.conv_b  # (n, 64, c)
        a = np.maximum(z, 0.0).transpose(0, 2, 1).reshape(n, c, half, POOL, half, POOL)
        pooled = a.max(axis=(3, 5))  # (n, c, 4, 4)
        flat = pooled.reshape(n, -1)
        logits = flat @ self.dense_w.T + self.dense_b
        return (logits, (cols, z, a, pooled, flat)) if keep else logits

    def gradients(self, x, y):
        """Mean cross-entropy gradients of every parameter on the batch (x, y)."""
        n, c, half = len(x), self.channels, SIDE // POOL
        logits, (cols, z, a, pooled, flat) = self.forward(x, keep=True)
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(n), y] -= 1.0
        d_logits = p / n
        d_dense_w = d_logits.T @ flat
        d_dense_b = d_logits.sum(axis=0)
        d_pooled = (d_logits @ self.dense_w).reshape(n, c, half, 1, half, 1)
        winners = a == pooled.reshape(n, c, half, 1, half, 1)
        winners = winners / winners.sum(axis=(3, 5), keepdims=True)
        d_a = (winners * d_pooled).reshape(n, c, SIDE * SIDE).transpose(0, 2, 1)
        d_z = d_a * (z > 0.0)
        d_conv_w = np.einsum("npc,npk->ck", d_z, cols)
        d_conv_b = d_z.sum(axis=(0, 1))
        return [d_conv_w, d_conv_b, d_dense_w, d_dense_b]


def train(x, y, channels, classes, seed, epochs=40, batch=32, rate=0.01, decay=1e-4):
    """A network trained with Adam (beta 0.9 / 0.999) on (x, y), batches shuffled each epoch."""
    rng = np.random.default_rng(seed)
    net = Cnn(channels, classes, rng)
    m = [np.zeros_like(p) for p in net.params()]
    v = [np.zeros_like(p) for p in net.params()]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch):
            idx = order[start : start + batch]
            grads = net.gradients(x[idx], y[idx])
            step += 1
            for k, (param, g) in enumerate(zip(net.params(), grads)):
                g = g + decay * param
                m[k] = 0.9 * m[k] + 0.1 * g
                v[k] = 0.999 * v[k] + 0.001 * g * g
                m_hat = m[k] / (1 - 0.9**step)
                v_hat = v[k] / (1 - 0.999**step)
                param -= rate * m_hat / (np.sqrt(v_hat) + 1e-8)
    return net
