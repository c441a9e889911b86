// SPDX-License-Identifier: GPL-2.0
/*
 * xoshiro256** seeded by splitmix64, and unbiased integers below n.
 *
 * Both generators are written here from their published definitions
 * (Steele, Lea and Flood 2014 for splitmix64; Blackman and Vigna 2018 for
 * xoshiro256**); the constants are theirs.  splitmix64 turns one 64-bit
 * seed into four well-mixed words, so that seeds 1, 2, 3 give unrelated
 * streams and the state is never all zero.
 */
#include "prng.h"

/* Advance *x and return the next splitmix64 output. */
uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void prng_seed(struct prng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t prng_next(struct prng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/*
 * Uniform in [0, n), n > 0, without modulo bias: the high half of a
 * 32x32-bit product, redrawn in the rare case that falls in the uneven
 * remainder (Lemire, "Fast random integer generation in an interval",
 * 2019).  Uses the high 32 bits of each output, the better ones.
 */
uint32_t prng_below(struct prng *r, uint32_t n)
{
	uint64_t m = (prng_next(r) >> 32) * (uint64_t)n;
	uint32_t low = (uint32_t)m, floor;

	if (low < n) {
		floor = -n % n;		/* 2^32 mod n */
		while (low < floor) {
			m = (prng_next(r) >> 32) * (uint64_t)n;
			low = (uint32_t)m;
		}
	}
	return m >> 32;
}
