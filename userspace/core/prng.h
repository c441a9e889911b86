/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small, seedable pseudo-random generator for resampling: xoshiro256**
 * (Blackman and Vigna, 2018), its state filled by splitmix64.  Not for
 * anything secret; chosen because the same seed gives the same stream on
 * every machine and compiler, so that printed intervals can be reproduced.
 */
#ifndef DMABENCH_PRNG_H
#define DMABENCH_PRNG_H

#include <stdint.h>

struct prng {
	uint64_t s[4];
};

uint64_t splitmix64(uint64_t *x);
void prng_seed(struct prng *r, uint64_t seed);
uint64_t prng_next(struct prng *r);
uint32_t prng_below(struct prng *r, uint32_t n);

#endif
