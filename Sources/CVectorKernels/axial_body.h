// The narrow-head axial attention kernel, written once for a vector of LANES floats and
// included by axial.c for each instruction set (internal header; see axial.c for the
// macros it expects and CVectorKernels.h for the layout). It undefines them at its end.
//
// The queries of a row lie across the lanes (LANES consecutive queries per vector), and
// every key and value is a broadcast from the row's e·L floats per plane, which stay in L1.
// The softmax over the keys is elementwise across L score vectors (no horizontal
// reductions), and two query vectors ("groups" A and B) share every key and value load.

// Pass 2 for two groups whose scores are in S (j-th score vector of group g at
// S + j*S_STEP + g*LANES) with maxima ma, mb: weights exp(s - max), their sums, the weighted
// sum of the values into outA/outB, and (when mapA) the normalised weights written per lane.
static TARGET_ATTR inline __attribute__((always_inline)) void NAME(weigh)(
    float *S, const ptrdiff_t S_STEP, VEC ma, VEC mb, const float *values, ptrdiff_t planeStride, ptrdiff_t length,
    const int EMAX, const int e, MASK_TYPE maskA, MASK_TYPE maskB, int validA, int validB, float *outA, float *outB,
    ptrdiff_t outStride, int storeB, float *mapA, float *mapB, ptrdiff_t mapLaneStride) {
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
        const float *value = values + j;
        for (int t = 0; t < EMAX; t++) {
            if (t < e) {
                VEC x = VBROADCAST(value + t * planeStride);
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
// S + j*2*LANES + g*LANES) and their maxima into *maxA, *maxB.
//   qA, qB: plane 0 of the group's query vectors (plane t at + t*planeStride)
//   keys: plane 0 of key 0; key j of plane t at + t*planeStride + j
// EMAX and e are constants after inlining.
static TARGET_ATTR inline __attribute__((always_inline)) void NAME(scores)(
    const float *qA, const float *qB, const float *keys, ptrdiff_t planeStride, ptrdiff_t length, const int EMAX,
    const int e, MASK_TYPE maskA, MASK_TYPE maskB, float *S, VEC *maxA, VEC *maxB) {
    VEC qa[16], qb[16];
    for (int t = 0; t < EMAX; t++) {
        if (t < e) {
            qa[t] = VLOADMASK(qA + t * planeStride, maskA);
            qb[t] = VLOADMASK(qB + t * planeStride, maskB);
        }
    }
    VEC ma = VSET1(-INFINITY), mb = ma;
    for (ptrdiff_t j = 0; j < length; j++) {
        const float *key = keys + j;
        VEC a0 = VZERO(), a1 = a0, b0 = a0, b1 = a0;
        for (int t = 0; t < EMAX; t += 2) {
            if (t < e) {
                VEC k0 = VBROADCAST(key + t * planeStride);
                a0 = VFMA(qa[t], k0, a0);
                b0 = VFMA(qb[t], k0, b0);
            }
            if (t + 1 < e) {
                VEC k1 = VBROADCAST(key + (t + 1) * planeStride);
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

// Scores, softmax and weighted sum of two groups for one head.
//   values: as keys; outA, outB: plane 0 of the outputs (plane t at + t*outStride), B
//   stored when storeB; mapA, mapB: NULL, or the weight row of lane 0 (lane l at
//   + l*mapLaneStride); S: 2*LANES*length floats of workspace.
static TARGET_ATTR inline __attribute__((always_inline)) void NAME(heads)(
    const float *qA, const float *qB, const float *keys, const float *values, ptrdiff_t planeStride,
    ptrdiff_t length, const int EMAX, const int e, MASK_TYPE maskA, MASK_TYPE maskB, int validA, int validB,
    float *outA, float *outB, ptrdiff_t outStride, int storeB, float *mapA, float *mapB, ptrdiff_t mapLaneStride,
    float *S) {
    VEC ma, mb;
    NAME(scores)(qA, qB, keys, planeStride, length, EMAX, e, maskA, maskB, S, &ma, &mb);
    NAME(weigh)(S, 2 * LANES, ma, mb, values, planeStride, length, EMAX, e, maskA, maskB, validA, validB, outA, outB,
                outStride, storeB, mapA, mapB, mapLaneStride);
}

// Rows y in [first, last); each row is one sequence of `length` tokens.
static TARGET_ATTR inline __attribute__((always_inline)) void NAME(rows)(
    const float *q, const float *k, const float *v, ptrdiff_t planeStride, float *out, ptrdiff_t outStride,
    ptrdiff_t length, ptrdiff_t heads, const int EMAX, const int e, ptrdiff_t first, ptrdiff_t last, float *scores,
    float *S) {
    const ptrdiff_t blocks = (length + LANES - 1) / LANES;
    for (ptrdiff_t y = first; y < last; y++) {
        for (ptrdiff_t h = 0; h < heads; h++) {
            const ptrdiff_t plane = h * e * planeStride + y * length;
            const ptrdiff_t outPlane = h * e * outStride + y * length;
            float *map = scores ? scores + (y * heads + h) * length * length : NULL;
            for (ptrdiff_t block = 0; block < blocks; block += 2) {
                const ptrdiff_t xa = block * LANES;
                const int pair = block + 1 < blocks;
                const ptrdiff_t xb = pair ? xa + LANES : xa;
                const int validA = length - xa < LANES ? (int)(length - xa) : LANES;
                const int validB = length - xb < LANES ? (int)(length - xb) : LANES;
                NAME(heads)(q + plane + xa, q + plane + xb, k + plane, v + plane, planeStride, length, EMAX, e,
                            MASK_OF(validA), MASK_OF(validB), validA, validB, out + outPlane + xa,
                            out + outPlane + xb, outStride, pair, map ? map + xa * length : NULL,
                            map ? map + xb * length : NULL, length, S);
            }
        }
    }
}

// Dispatch on the head size: exact 8 (no guards), below 8, up to 16.
static TARGET_ATTR void NAME(attend)(const float *q, const float *k, const float *v, ptrdiff_t planeStride,
                                    float *out, ptrdiff_t outStride, ptrdiff_t length, ptrdiff_t heads, int e,
                                    ptrdiff_t first, ptrdiff_t last, float *scores, float *S) {
    if (e == 8) NAME(rows)(q, k, v, planeStride, out, outStride, length, heads, 8, 8, first, last, scores, S);
    else if (e < 8) NAME(rows)(q, k, v, planeStride, out, outStride, length, heads, 8, e, first, last, scores, S);
    else NAME(rows)(q, k, v, planeStride, out, outStride, length, heads, 16, e, first, last, scores, S);
}

// The parameters are undefined here, so the next instruction set can define its own.
#undef TARGET_ATTR
#undef NAME
#undef LANES
#undef VEC
#undef MASK_TYPE
#undef MASK_OF
#undef VLOAD
#undef VLOADMASK
#undef VBROADCAST
#undef VSTORE
#undef VSTOREMASK
#undef VZERO
#undef VSET1
#undef VFMA
#undef VADD
#undef VSUB
#undef VMUL
#undef VDIV
#undef VMAX
#undef VEXP
#undef WRITE_MAP_ROWS
