// Veritas test fixture: a statement with many public inputs (64), to exercise verifying keys with a
// long IC vector. Statement: every public x[i] is a square; the prover knows private y[i] with
// y[i] * y[i] = x[i] for all i.
// Public signals (public.json order): [x[0], ..., x[N-1]].
pragma circom 2.2.0;

template SquareRoots(N) {
	signal input x[N];
	signal input y[N];

	for (var i = 0; i < N; i++) {
		x[i] === y[i] * y[i];
	}
}

component main {public [x]} = SquareRoots(64);
