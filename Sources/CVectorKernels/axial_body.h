// The narrow-head axial attention kernel, written once for a vector of LANES floats and
// included by axial.c for each instruction set (internal header; see axial.c for the
// macros it expects and CVectorKernels.h for the layout).
//
// Queries lie across the lanes: for the width axis the lanes are LANES consecutive queries
// of one row and each key is broadcast; for the height axis they are LANES neighbouring
// columns (LANES separate sequences) at one query row, and each key is a vector. Either way
// the softmax over the keys is elementwise across L vectors (no horizontal reductions), and
// two query vectors ("groups" A and B) share every key and value load.

// Pass 2 for two groups whose scores are in S (j-th score vector of group g at
// S + j*S_STEP + g*LANES) with maxima ma, mb: weights exp(s - max), their sums, the weighted
// sum of the values into outA/outB, and (when mapA) the normalised weights written per lane.
static TARGET_ATTR inline __attribute__((always_inline)) void NAME(weigh)(
    float *S, const ptrdiff_t S_STEP, VEC ma, VEC mb, const float *values, ptrdiff_t planeStride, ptrdiff_t keyStep,
    ptrdiff_t length, const int BROADCAST, const int MASKED, const int EMAX, const int e, MASK_TYPE maskA,
    MASK_TYPE maskB, int validA, int validB, float *outA, float *outB, ptrdiff_t outStride, int storeB,
    float *mapA, float *mapB, ptrdiff_t mapLaneStride) {
    VEC oa[16], ob[16];
    for (int t = 0; t < EMAX; t++) {
        if (t < e) oa[t] = ob[t] = VZERO();
    }
    // The exps first (their constants and temporaries need registers), kept in S; then the
    // weighted sum with the 2·e accumulators in registers.
    VEC suma = VZERO(), sumb = suma;
    for (ptrdiff_t j = 0; j < length; j++) {
        VEC pa = VEXP(VSUB(VLOAD(S + j * S_STEP), ma));
        VEC pb = VEXP(VSUB(VLOAD(S + j * S_STEP + LANES), mb));
        VSTORE(S + j * S_STEP, pa);
        VSTORE(S + j * S_STEP + LANES, pb);
        suma = VADD(suma, pa);
        sumb = VADD(sumb, pb);
    }
    for (ptrdiff_t j = 0; j < length; j++) {
        const VEC pa = VLOAD(S + j * S_STEP), pb = VLOAD(S + j * S_STEP + LANES);
        const float *value = values + j * keyStep;
        for (int t = 0; t < EMAX; t++) {
            if (t < e) {
                VEC x = BROADCAST ? VBROADCAST(value + t * planeStride)
                      : MASKED ? VLOADMASK(value + t * planeStride, maskA) : VLOAD(value + t * planeStride);
                oa[t] = VFMA(pa, x, oa[t]);
                ob[t] = VFMA(pb, x, ob[t]);
            }
        }
    }
    const VEC ia = VDIV(VSET1(1.0f), suma), ib = VDIV(VSET1(1.0f), sumb);
    for (int t = 0; t < EMAX; t++) {
        if (t < e) {
            VSTOREMASK(outA + t * outStride, VMUL(oa[t], ia), maskA);
            if (storeB) VSTOREMASK(outB + t * outStride, VMUL(ob[t], ib), maskB);
        }
    }
    if (mapA) {
        // Each lane's row of weights, normalised (a transpose of the S block).
        float inverses[2 * LANES];
        VSTORE(inverses, ia);
        VSTORE(inverses + LANES, ib);
        for (int g = 0; g < (storeB ? 2 : 1); g++)
            WRITE_MAP_ROWS(S + g * LANES, S_STEP, length, inverses + g * LANES, g ? mapB : mapA, g ? validB : validA,
                           mapLaneStride);
    }
}

// Pass 1 for two groups: the score vectors of every key into S (key j of group g at
// S + j*2*LANES + g*LANES) and their maxima into *ma, *mb.
//   qA, qB: plane 0 of the group's query vectors (plane t at + t*planeStride)
//   keys: plane 0 of key 0; key j of plane t at + t*planeStride + j*keyStep
// BROADCAST, MASKED (key loads masked to maskA), EMAX and e are constants after inlining.
static TARGET_ATTR inline __attribute__((always_inline)) void NAME(scores)(
    const float *qA, const float *qB, const float *keys, ptrdiff_t planeStride, ptrdiff_t keyStep, ptrdiff_t length,
    const int BROADCAST, const int MASKED, const int EMAX, const int e, MASK_TYPE maskA, MASK_TYPE maskB, float *S,
    VEC *maxA, VEC *maxB) {
    VEC qa[16], qb[16];
    for (int t = 0; t < EMAX; t++) {
        if (t < e) {
            qa[t] = VLOADMASK(qA + t * planeStride, maskA);
            qb[t] = VLOADMASK(qB + t * planeStride, maskB);
        }
    }
    VEC ma = VSET1(-INFINITY), mb = ma;
    for (ptrdiff_t j = 0; j < length; j++) {
        const float *key = keys + j * keyStep;
        VEC a0 = VZERO(), a1 = a0, b0 = a0, b1 = a0;
        for (int t = 0; t < EMAX; t += 2) {
            if (t < e) {
                VEC k0 = BROADCAST ? VBROADCAST(key + t * planeStride)
                       : MASKED ? VLOADMASK(key + t * planeStride, maskA) : VLOAD(key + t * planeStride);
                a0 = VFMA(qa[t], k0, a0);
                b0 = VFMA(qb[t], k0, b0);
            }
            if (t + 1 < e) {
                VEC k1 = BROADCAST ? VBROADCAST(key + (t + 1) * planeStride)
                       : MASKED ? VLOADMASK(key + (t + 1) * planeStride, maskA) : VLOAD(key + (t + 1) * planeStride);
                a1 = VFMA(qa[t + 1], k1, a1);
                b1 = VFMA(qb[t + 1], k1, b1);
            }
        }
        VEC sa = VADD(a0, a1), sb = VADD(b0, b1);
        VSTORE(S + j * 2 * LANES, sa);
        VSTORE(S + j * 2 * LANES + LANES, sb);
        ma = VMAX(ma, sa);
        mb = VMAX(mb, sb);
    }
    *maxA = ma;
    *maxB = mb;
}

// Scores, softmax and weighted sum of two groups for one head (width axis: the keys and
// values of a row stay in L1, and every key is a broadcast).
//   values: as keys; outA, outB: plane 0 of the outputs (plane t at + t*outStride), B
//   stored when storeB; mapA, mapB: NULL, or the weight row of lane 0 (lane l at
//   + l*mapLaneStride); S: 2*LANES*length floats of workspace.
static TARGET_ATTR inline __attribute__((always_inline)) void NAME(heads)(
    const float *qA, const float *qB, const float *keys, const float *values, ptrdiff_t planeStride,
    ptrdiff_t keyStep, ptrdiff_t length, const int BROADCAST, const int MASKED, const int EMAX, const int e,
    MASK_TYPE maskA, MASK_TYPE maskB, int validA, int validB, float *outA, float *outB, ptrdiff_t outStride,
    int storeB, float *mapA, float *mapB, ptrdiff_t mapLaneStride, float *S) {
    VEC ma, mb;
    NAME(scores)(qA, qB, keys, planeStride, keyStep, length, BROADCAST, MASKED, EMAX, e, maskA, maskB, S, &ma, &mb);
    NAME(weigh)(S, 2 * LANES, ma, mb, values, planeStride, keyStep, length, BROADCAST, MASKED, EMAX, e, maskA, maskB,
                validA, validB, outA, outB, outStride, storeB, mapA, mapB, mapLaneStride);
}

// Width axis: rows y in [first, last); each row is one sequence of `width` tokens.
static TARGET_ATTR inline __attribute__((always_inline)) void NAME(width_rows)(
    const float *q, const float *k, const float *v, ptrdiff_t planeStride, float *out, ptrdiff_t outStride,
    ptrdiff_t width, ptrdiff_t heads, const int EMAX, const int e, ptrdiff_t first, ptrdiff_t last,
    float *scores, float *S) {
    const ptrdiff_t length = width, blocks = (width + LANES - 1) / LANES;
    for (ptrdiff_t y = first; y < last; y++) {
        for (ptrdiff_t h = 0; h < heads; h++) {
            const ptrdiff_t plane = h * e * planeStride + y * width;
            const ptrdiff_t outPlane = h * e * outStride + y * width;
            float *map = scores ? scores + (y * heads + h) * length * length : NULL;
            for (ptrdiff_t block = 0; block < blocks; block += 2) {
                const ptrdiff_t xa = block * LANES;
                const int pair = block + 1 < blocks;
                const ptrdiff_t xb = pair ? xa + LANES : xa;
                const int validA = width - xa < LANES ? (int)(width - xa) : LANES;
                const int validB = width - xb < LANES ? (int)(width - xb) : LANES;
                NAME(heads)(q + plane + xa, q + plane + xb, k + plane, v + plane, planeStride, 1, length, 1, 0, EMAX, e,
                            MASK_OF(validA), MASK_OF(validB), validA, validB, out + outPlane + xa,
                            out + outPlane + xb, outStride, pair, map ? map + xa * length : NULL,
                            map ? map + xb * length : NULL, length, S);
            }
        }
    }
}

// Height axis: column blocks [first, last) of LANES columns; each column is one sequence of
// `height` tokens, and the lanes hold LANES neighbouring columns.
static TARGET_ATTR inline __attribute__((always_inline)) void NAME(height_blocks)(
    const float *q, const float *k, const float *v, ptrdiff_t planeStride, float *out, ptrdiff_t outStride,
    ptrdiff_t height, ptrdiff_t width, ptrdiff_t heads, const int MASKED, const int EMAX, const int e,
    ptrdiff_t first, ptrdiff_t last, float *scores, float *S) {
    const ptrdiff_t length = height;
    const ptrdiff_t pairsPerChunk = AXIAL_PAIRS_PER_CHUNK(height);
    for (ptrdiff_t block = first; block < last; block++) {
        const ptrdiff_t x0 = block * LANES;
        const int valid = width - x0 < LANES ? (int)(width - x0) : LANES;
        if (MASKED != (valid < LANES)) continue;
        const MASK_TYPE mask = MASK_OF(valid);
        for (ptrdiff_t h = 0; h < heads; h++) {
            const ptrdiff_t plane = h * e * planeStride + x0;
            const ptrdiff_t outPlane = h * e * outStride + x0;
            float *map = scores ? scores + (x0 * heads + h) * length * length : NULL;
            // Pass 1 for a chunk of row pairs, then pass 2 for them: the keys (e·L vectors)
            // stay in L1 through the pass 1s, then the values through the pass 2s, where
            // alternating passes reload both for every pair.
            for (ptrdiff_t chunk = 0; chunk < height; chunk += 2 * pairsPerChunk) {
                const ptrdiff_t end = chunk + 2 * pairsPerChunk < height ? chunk + 2 * pairsPerChunk : height;
                for (ptrdiff_t ya = chunk; ya < end; ya += 2) {
                    const ptrdiff_t yb = ya + 1 < height ? ya + 1 : ya;
                    float *block = S + ((ya - chunk) / 2) * (2 * LANES * length + 2 * LANES);
                    VEC ma, mb;
                    NAME(scores)(q + plane + ya * width, q + plane + yb * width, k + plane, planeStride, width, length,
                                 0, MASKED, EMAX, e, mask, mask, block + 2 * LANES, &ma, &mb);
                    VSTORE(block, ma);
                    VSTORE(block + LANES, mb);
                }
                for (ptrdiff_t ya = chunk; ya < end; ya += 2) {
                    const int pair = ya + 1 < height;
                    const ptrdiff_t yb = pair ? ya + 1 : ya;
                    float *block = S + ((ya - chunk) / 2) * (2 * LANES * length + 2 * LANES);
                    NAME(weigh)(block + 2 * LANES, 2 * LANES, VLOAD(block), VLOAD(block + LANES), v + plane,
                                planeStride, width, length, 0, MASKED, EMAX, e, mask, mask, valid, valid,
                                out + outPlane + ya * width, out + outPlane + yb * width, outStride, pair,
                                map ? map + ya * length : NULL, map ? map + yb * length : NULL,
                                heads * length * length);
                }
            }
        }
    }
}

// Dispatch on the head size: exact 8 (no guards), ≤ 8, ≤ 16.
static TARGET_ATTR void NAME(attend)(const float *q, const float *k, const float *v, ptrdiff_t planeStride,
                                    float *out, ptrdiff_t outStride, ptrdiff_t height, ptrdiff_t width,
                                    ptrdiff_t heads, int e, int axis, ptrdiff_t first, ptrdiff_t last,
                                    float *scores, float *S) {
    if (axis == 1) {
        if (e == 8) NAME(width_rows)(q, k, v, planeStride, out, outStride, width, heads, 8, 8, first, last, scores, S);
        else if (e < 8) NAME(width_rows)(q, k, v, planeStride, out, outStride, width, heads, 8, e, first, last, scores, S);
        else NAME(width_rows)(q, k, v, planeStride, out, outStride, width, heads, 16, e, first, last, scores, S);
    } else {
        for (int masked = 0; masked < 2; masked++) {
            if (masked) {
                if (e <= 8) NAME(height_blocks)(q, k, v, planeStride, out, outStride, height, width, heads, 1, 8, e, first, last, scores, S);
                else NAME(height_blocks)(q, k, v, planeStride, out, outStride, height, width, heads, 1, 16, e, first, last, scores, S);
            } else if (e == 8) {
                NAME(height_blocks)(q, k, v, planeStride, out, outStride, height, width, heads, 0, 8, 8, first, last, scores, S);
            } else if (e < 8) {
                NAME(height_blocks)(q, k, v, planeStride, out, outStride, height, width, heads, 0, 8, e, first, last, scores, S);
            } else {
                NAME(height_blocks)(q, k, v, planeStride, out, outStride, height, width, heads, 0, 16, e, first, last, scores, S);
            }
        }
    }
}
