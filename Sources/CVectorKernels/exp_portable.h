// The portable scalar exp shared by softmax.c and the axial kernel (internal header): Cephes
// reduction, degree-7 polynomial, 2^n in two halves (the formula of exp_avx2.h, lane by lane).
#ifndef CVECTORKERNELS_EXP_PORTABLE_H
#define CVECTORKERNELS_EXP_PORTABLE_H

#include <stdint.h>
#include <string.h>

static inline float exp_portable_scalar(float x) {
    if (x != x) return x;
    if (x < -104.0f) x = -104.0f;
    if (x > 89.0f) x = 89.0f;
    float shifted = x * 1.44269504088896341f + 12582912.0f;
    float n = shifted - 12582912.0f;
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * (r * r) + r + 1.0f;
    int32_t bits;
    memcpy(&bits, &shifted, sizeof bits);
    int32_t exponent = bits - 0x4B400000;
    int32_t half = exponent >> 1, rest = exponent - half;
    int32_t b1 = (half + 127) << 23, b2 = (rest + 127) << 23;
    float s1, s2;
    memcpy(&s1, &b1, sizeof s1);
    memcpy(&s2, &b2, sizeof s2);
    return y * s1 * s2;
}

#endif
