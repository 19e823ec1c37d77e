/* ts_rng — seeded random streams: xoshiro256++ in 8 interleaved lanes and a 256-layer ziggurat.
 *
 * Generator.  A stream (seed, stream) owns nine xoshiro256++ states (Blackman & Vigna 2018, "Scrambled linear
 * pseudorandom number generators", written here from the published definition): eight "lanes" that are stepped
 * together (one AVX2 instruction per operation for four lanes) and feed the Gaussian sampler, and one scalar
 * "aux" state for ts_rng_u64/ts_rng_uniform and the ziggurat's rare slow path.  The 36 state words are
 * splitmix64 outputs (Steele, Lea & Flood 2014) started from h = mix(mix(seed + G) ^ stream), mix the splitmix64
 * finaliser, G = 0x9e3779b97f4a7c15: word j = mix(h + (j+1) G), lane l takes words 4l..4l+3, aux takes 32..35.
 * mix is a bijection, so for a fixed seed every stream id gives a different h and vice versa.  A stream
 * depends only on (seed, stream), never on threads or on which other streams exist.
 *
 * Sampler.  Ziggurat of Marsaglia & Tsang (2000) with 256 layers of equal area v, in the form of Doornik (2005)
 * with independent bits: from one 64-bit draw u, the layer is i = u & 255, the sign is bit 8 and the abscissa
 * uniform is f = m 2^-52 with m = u >> 12 (bits 12..63).  Fast path (98.5%): accept x = +-f X[i] when
 * f < R[i] = ceil(2^52 X[i+1]/X[i]) 2^-52, which is exactly f X[i] < X[i+1] (f and R[i] are multiples of 2^-52,
 * so the double comparison is exact): x then lies in the part of the layer entirely under the density.
 * Otherwise: layer 0 -> the tail beyond r by Marsaglia's (1964) exponential method; other layers -> accept if
 * F[i] + U (F[i+1] - F[i]) < exp(-x^2/2) with a fresh uniform U; on rejection the whole draw restarts from a
 * fresh u.  The slow path takes its uniforms from the aux state.  The result is exactly
 * normal up to the 52-bit resolution of the uniforms.
 * Tables (f(x) = exp(-x^2/2), F[i] = f(X[i])):
 *   v = r f(r) + sqrt(pi/2) erfc(r/sqrt 2),  X[0] = v / f(r),  X[1] = r,
 *   X[i+1] = sqrt(-2 ln(F[i] + v / X[i]))  (i = 1..254),  X[256] = 0, F[256] = 1,
 * with r the root of the closure condition F[255] + v/X[255] = 1 (the top layer has area v too):
 *   r = 3.65415288536100877183, v = 0.00492867323397465534319 (Marsaglia & Tsang give 3.6541528853610088).
 * They were computed in long double (bisection on r, closure residual 5e-18) and rounded to double; the tables
 * below are that program's output in C99 hex-float notation (exact): F[0..256], and the pairs (X[i], R[i])
 * for i = 0..255 side by side, so that one 16-byte load fetches both (R[255] = 0: the top layer always takes the
 * slow path).
 *
 * Blocks.  Gaussians are made 8 at a time, one per lane; ts_rng_gaussian hands them out one by one from a
 * buffer, ts_rng_gaussian_fill writes whole blocks straight to the output.  Both consume the same sequence, so
 * n calls of ts_rng_gaussian give exactly the values of one ts_rng_gaussian_fill of n (the header allows them
 * to differ; they do not).  The AVX2 path (compiled when __AVX2__ is defined) and the portable path give
 * bit-identical results. */
#include "ts_rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

/* no a*b+c -> fma contraction (clang's default): the same results from every compiler and -march (GCC in
 * -std=c11 mode does not contract) */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define TS__LANES 8

struct ts_rng {
  _Alignas(32) uint64_t s[4][TS__LANES]; /* lane states, s[word][lane]          */
  uint64_t aux[4];                       /* scalar state                        */
  double gbuf[TS__LANES];                /* Gaussians of the current block       */
  int gpos;                              /* next unused entry of gbuf (8: empty) */
};

static const double ts__zig_f[257] = {
0x1.f4a946f13842fp-12, 0x1.4a605b6b9f70dp-10, 0x1.55f9f43c1b07p-9, 0x1.08a1f03b0b205p-8,
0x1.69ea8d90cb864p-8, 0x1.ce160f8ec683cp-8, 0x1.1a59229952f95p-7, 0x1.4eb96421acfe7p-7,
0x1.841040d8da47ep-7, 0x1.ba48d274f8fb3p-7, 0x1.f152a4f72dd53p-7, 0x1.149033460301ap-6,
0x1.30d388dab5e1ap-6, 0x1.4d6eaf2fbb067p-6, 0x1.6a5daf40bbf87p-6, 0x1.879d1b600c10bp-6,
0x1.a529f4e22ebf4p-6, 0x1.c301983cd0912p-6, 0x1.e121adb828c69p-6, 0x1.ff881d718a5b5p-6,
0x1.0f1982e968009p-5, 0x1.1e9059f1f6ab6p-5, 0x1.2e27ce83df495p-5, 0x1.3ddf2ce98eec7p-5,
0x1.4db5d0e11275cp-5, 0x1.5dab23cf2add1p-5, 0x1.6dbe9b398d062p-5, 0x1.7defb77af271cp-5,
0x1.8e3e02a68b5a9p-5, 0x1.9ea90f9295561p-5, 0x1.af30790385f6fp-5, 0x1.bfd3e0f282a2cp-5,
0x1.d092efeadf162p-5, 0x1.e16d547b25185p-5, 0x1.f262c2b6c6e33p-5, 0x1.01b979e30e496p-4,
0x1.0a4ed2c159622p-4, 0x1.12f14d0f2179dp-4, 0x1.1ba0cbe97897ep-4, 0x1.245d344dd0d8fp-4,
0x1.2d266cf9b310dp-4, 0x1.35fc5e4d93e69p-4, 0x1.3edef23269a81p-4, 0x1.47ce1401b2212p-4,
0x1.50c9b06fa2babp-4, 0x1.59d1b5774669dp-4, 0x1.62e6124854d1p-4, 0x1.6c06b73694a46p-4,
0x1.753395aaa116dp-4, 0x1.7e6ca013eefccp-4, 0x1.87b1c9dbf2846p-4, 0x1.9103075a4a09fp-4,
0x1.9a604dc9d5b0bp-4, 0x1.a3c9933ea627bp-4, 0x1.ad3ece9caf627p-4, 0x1.b6bff78f2e228p-4,
0x1.c04d0680b100ap-4, 0x1.c9e5f493b7404p-4, 0x1.d38abb9bd91dcp-4, 0x1.dd3b56176e88bp-4,
0x1.e6f7bf29aa546p-4, 0x1.f0bff29520e16p-4, 0x1.fa93ecb6b222bp-4, 0x1.0239d54067d29p-3,
0x1.072f94bb8bf84p-3, 0x1.0c2b33d5209b9p-3, 0x1.112cb1da26eb8p-3, 0x1.16340e5a82d62p-3,
0x1.1b41492757d42p-3, 0x1.2054625183c34p-3, 0x1.256d5a2835eb6p-3, 0x1.2a8c3137a071bp-3,
0x1.2fb0e847c2a65p-3, 0x1.34db805b4ab89p-3, 0x1.3a0bfaae8d7eep-3, 0x1.3f4258b6931afp-3,
0x1.447e9c20375d6p-3, 0x1.49c0c6cf5ce3p-3, 0x1.4f08dade31fc6p-3, 0x1.5456da9c8683bp-3,
0x1.59aac88f31d74p-3, 0x1.5f04a76f884p-3, 0x1.64647a2adf1a4p-3, 0x1.69ca43e21f261p-3,
0x1.6f3607e964719p-3, 0x1.74a7c9c7ab5a8p-3, 0x1.7a1f8d368a323p-3, 0x1.7f9d5621f7174p-3,
0x1.852128a819a38p-3, 0x1.8aab09192815ap-3, 0x1.903afbf74fa68p-3, 0x1.95d105f6a7c27p-3,
0x1.9b6d2bfd2fe5ap-3, 0x1.a10f7322d7e3cp-3, 0x1.a6b7e0b19267cp-3, 0x1.ac667a2571805p-3,
0x1.b21b452ccd13ap-3, 0x1.b7d647a8731abp-3, 0x1.bd9787abe18a2p-3, 0x1.c35f0b7d89d46p-3,
0x1.c92cd9971df52p-3, 0x1.cf00f8a5e6fcap-3, 0x1.d4db6f8b2514cp-3, 0x1.dabc455c79006p-3,
0x1.e0a3816457181p-3, 0x1.e6912b2283cd9p-3, 0x1.ec854a4c99c3ep-3, 0x1.f27fe6ce998ccp-3,
0x1.f88108cb8322fp-3, 0x1.fe88b89df93bcp-3, 0x1.024b7f6c7747ap-2, 0x1.0555f2242e9d4p-2,
0x1.0863b8f904331p-2, 0x1.0b74d88b242d4p-2, 0x1.0e895598709bdp-2, 0x1.11a134fcf241dp-2,
0x1.14bc7bb34ee63p-2, 0x1.17db2ed5454e5p-2, 0x1.1afd539c2f04cp-2, 0x1.1e22ef6188113p-2,
0x1.214c079f7cc9cp-2, 0x1.2478a1f17de86p-2, 0x1.27a8c414db11bp-2, 0x1.2adc73e963fdap-2,
0x1.2e13b77210764p-2, 0x1.314e94d5af62dp-2, 0x1.348d125f9d19cp-2, 0x1.37cf368081376p-2,
0x1.3b1507cf143acp-2, 0x1.3e5e8d08ed2d8p-2, 0x1.41abcd1357a18p-2, 0x1.44fccefc324fcp-2,
0x1.485199fad6ad4p-2, 0x1.4baa357109ca2p-2, 0x1.4f06a8ebf6d91p-2, 0x1.5266fc2533beap-2,
0x1.55cb3703d00fdp-2, 0x1.5933619d6eebcp-2, 0x1.5c9f84376c241p-2, 0x1.600fa7480d2c6p-2,
0x1.6383d377be513p-2, 0x1.66fc11a25cbdfp-2, 0x1.6a786ad88de1ep-2, 0x1.6df8e86124ca6p-2,
0x1.717d93ba96148p-2, 0x1.7506769c7b1e8p-2, 0x1.78939af9252e6p-2, 0x1.7c250aff414acp-2,
0x1.7fbad11b8d90dp-2, 0x1.8354f7faa0dd5p-2, 0x1.86f38a8ac5ab2p-2, 0x1.8a9693fde9185p-2,
0x1.8e3e1fcb9f113p-2, 0x1.91ea39b33cb13p-2, 0x1.959aedbe09f8fp-2, 0x1.995048418c0c3p-2,
0x1.9d0a55e1e93dcp-2, 0x1.a0c923946843bp-2, 0x1.a48cbea20c04bp-2, 0x1.a85534aa4d87dp-2,
0x1.ac2293a5f5a9ap-2, 0x1.aff4e9ea1855p-2, 0x1.b3cc462b331c8p-2, 0x1.b7a8b78071319p-2,
0x1.bb8a4d6716d8fp-2, 0x1.bf7117c616a14p-2, 0x1.c35d26f1d2cb5p-2, 0x1.c74e8bb00d7c3p-2,
0x1.cb45573c0a843p-2, 0x1.cf419b4ae5b69p-2, 0x1.d3436a102107bp-2, 0x1.d74ad6426de2dp-2,
0x1.db57f320b56abp-2, 0x1.df6ad47763a03p-2, 0x1.e3838ea5f9b7ep-2, 0x1.e7a236a4ec3bfp-2,
0x1.ebc6e20bd1f4fp-2, 0x1.eff1a717e8f8ep-2, 0x1.f4229cb2f7aecp-2, 0x1.f859da7a900c4p-2,
0x1.fc9778c7bbd9bp-2, 0x1.006dc85b8cac2p-1, 0x1.02931e18b8228p-1, 0x1.04bbcafa63f2bp-1,
0x1.06e7dccf03c33p-1, 0x1.091761d995d7dp-1, 0x1.0b4a68d70d9abp-1, 0x1.0d8101041429cp-1,
0x1.0fbb3a232590fp-1, 0x1.11f9248311f34p-1, 0x1.143ad105ea998p-1, 0x1.16805128639d6p-1,
0x1.18c9b709b3c4dp-1, 0x1.1b171573fd10ep-1, 0x1.1d687fe549966p-1, 0x1.1fbe0a992961dp-1,
0x1.2217ca92ff7eep-1, 0x1.2475d5a90db8p-1, 0x1.26d84290504e9p-1, 0x1.293f28e93cd11p-1,
0x1.2baaa14d79545p-1, 0x1.2e1ac55ea3be9p-1, 0x1.308fafd6438ebp-1, 0x1.33097c9703a32p-1,
0x1.358848bf550e6p-1, 0x1.380c32bda00d2p-1, 0x1.3a955a662cd0bp-1, 0x1.3d23e10af31a1p-1,
0x1.3fb7e99585b7fp-1, 0x1.425198a355fep-1, 0x1.44f114a493676p-1, 0x1.479685fdf500fp-1,
0x1.4a42172dc5276p-1, 0x1.4cf3f4f494ebep-1, 0x1.4fac4e820b665p-1, 0x1.526b55a656cd3p-1,
0x1.55313f08d9e44p-1, 0x1.57fe4264c8d8cp-1, 0x1.5ad29acc85c85p-1, 0x1.5dae86f4aff66p-1,
0x1.6092498802661p-1, 0x1.637e298550c15p-1, 0x1.667272a92e32p-1, 0x1.696f75e513b26p-1,
0x1.6c7589e635a86p-1, 0x1.6f850baea7aebp-1, 0x1.729e5f43f6d0ep-1, 0x1.75c1f0770d852p-1,
0x1.78f033ca0b0d2p-1, 0x1.7c29a779c6855p-1, 0x1.7f6ed4b20e2c8p-1, 0x1.82c050f56cf6bp-1,
0x1.861ebfc37bca8p-1, 0x1.898ad48badefep-1, 0x1.8d0554fe60aa4p-1, 0x1.908f1bd31714bp-1,
0x1.94291c21b7a43p-1, 0x1.97d4657617abep-1, 0x1.9b9228d24067ep-1, 0x1.9f63bee651fd5p-1,
0x1.a34aafdf5af0cp-1, 0x1.a748bd550c9dep-1, 0x1.ab5fef17a2502p-1, 0x1.af92a3f6ce8ap-1,
0x1.b3e3a8234dd0ep-1, 0x1.b85653a8ff54fp-1, 0x1.bceeb4ee1dc7fp-1, 0x1.c1b1cd9eebae7p-1,
0x1.c6a5ecea9787cp-1, 0x1.cbd33a8a72de8p-1, 0x1.d144978a119d9p-1, 0x1.d70920657bcefp-1,
0x1.dd36fa704de92p-1, 0x1.e3f11e027f074p-1, 0x1.eb7545b6ca912p-1, 0x1.f446ac979f084p-1,
0x1p+0, };
static const double ts__zig_xr[512] = {
0x1.f493b7815d982p+1, 0x1.de67b004bdeccp-1, 0x1.d3bb48209ad33p+1, 0x1.e34b496663894p-1,
0x1.b981f3878fdbp+1, 0x1.ecd8befe0605ap-1, 0x1.a8fdc78947759p+1, 0x1.f13f491483bf8p-1,
0x1.9cbee014057aap+1, 0x1.f3d2e3c028b3p-1, 0x1.92ee0946f4496p+1, 0x1.f5880b05450e8p-1,
0x1.8ab0fbfaa7c14p+1, 0x1.f6c0d8800a868p-1, 0x1.839030529f233p+1, 0x1.f7acb03817074p-1,
0x1.7d42df4d6ce8bp+1, 0x1.f86565e3c45dap-1, 0x1.7799556090672p+1, 0x1.f8fa4dd9a5a46p-1,
0x1.72728f05f7a33p+1, 0x1.f9751b0bc2364p-1, 0x1.6db6b8d09e231p+1, 0x1.f9dc408ec3f3ep-1,
0x1.69540be9fe5c2p+1, 0x1.fa3434f698f5ap-1, 0x1.653ce7b006aeap+1, 0x1.fa80293c5e024p-1,
0x1.61669cf861e4bp+1, 0x1.fac275b7aca18p-1, 0x1.5dc8a243ad0fep+1, 0x1.fafcdde919e0ap-1,
0x1.5a5c08b718dd9p+1, 0x1.fb30bc36574ecp-1, 0x1.571b1a94ae41cp+1, 0x1.fb5f1f05c0506p-1,
0x1.54011523a7e43p+1, 0x1.fb88dca537e26p-1, 0x1.5109f53e9ac42p+1, 0x1.fbaea138c77fcp-1,
0x1.4e3250dcd8903p+1, 0x1.fbd0f8afdfd56p-1, 0x1.4b7739d6b5a28p+1, 0x1.fbf056056e356p-1,
0x1.48d62759c43bdp+1, 0x1.fc0d189dccf6p-1, 0x1.464ce44a73a16p+1, 0x1.fc27904f1062ap-1,
0x1.43d9815545e94p+1, 0x1.fc4000732aabp-1, 0x1.417a49cb9e5dbp+1, 0x1.fc56a245fc9fcp-1,
0x1.3f2dbaa60f475p+1, 0x1.fc6ba6bdd6338p-1, 0x1.3cf27b31704a6p+1, 0x1.fc7f37ffa3c7p-1,
0x1.3ac7570ae88fap+1, 0x1.fc917a86de8bp-1, 0x1.38ab39256410ap+1, 0x1.fca28e12ee502p-1,
0x1.369d27a33a84p+1, 0x1.fcb28e671ee86p-1, 0x1.349c405ae12a3p+1, 0x1.fcc193e7060fcp-1,
0x1.32a7b5e68a4a3p+1, 0x1.fccfb416d57b2p-1, 0x1.30becd256aeeep+1, 0x1.fcdd020554404p-1,
0x1.2ee0db1a978f5p+1, 0x1.fce98ea3ed54cp-1, 0x1.2d0d43196db97p+1, 0x1.fcf569104678p-1,
0x1.2b437532a0a53p+1, 0x1.fd009ed21528p-1, 0x1.2982ecd770e78p+1, 0x1.fd0b3c0f563d6p-1,
0x1.27cb2faa8592ep+1, 0x1.fd154bb89d1cep-1, 0x1.261bcc77658ep+1, 0x1.fd1ed7aed8baep-1,
0x1.24745a4ac9c24p+1, 0x1.fd27e8e3a8e52p-1, 0x1.22d477a6fd3efp+1, 0x1.fd30877528f48p-1,
0x1.213bc9d04cc82p+1, 0x1.fd38bac5eac76p-1, 0x1.1fa9fc2e2d901p+1, 0x1.fd408991bb3eep-1,
0x1.1e1ebfbe4ae39p+1, 0x1.fd47f9ffae7ccp-1, 0x1.1c99ca971a695p+1, 0x1.fd4f11b1dc64ep-1,
0x1.1b1ad777f2f8fp+1, 0x1.fd55d5d3244aep-1, 0x1.19a1a564eebadp+1, 0x1.fd5c4b23405d2p-1,
0x1.182df74d21262p+1, 0x1.fd62760165a98p-1, 0x1.16bf93b9deef5p+1, 0x1.fd685a75a3f3ep-1,
0x1.1556448602e3dp+1, 0x1.fd6dfc3930a86p-1, 0x1.13f1d69c4096fp+1, 0x1.fd735ebdc19bap-1,
0x1.129219bbb5d37p+1, 0x1.fd78853416d24p-1, 0x1.1136e04207043p+1, 0x1.fd7d7291cdfa2p-1,
0x1.0fdffefa69fb8p+1, 0x1.fd8229969666ap-1, 0x1.0e8d4cf116594p+1, 0x1.fd86acd0d92c4p-1,
0x1.0d3ea34aa3d32p+1, 0x1.fd8afea1e63fcp-1, 0x1.0bf3dd1eed449p+1, 0x1.fd8f2141b52f2p-1,
0x1.0aacd7571c0c5p+1, 0x1.fd9316c246182p-1, 0x1.0969708e8a255p+1, 0x1.fd96e112add6ap-1,
0x1.082988f632e18p+1, 0x1.fd9a8201d6f72p-1, 0x1.06ed023a72669p+1, 0x1.fd9dfb40ffc68p-1,
0x1.05b3bf6adb37ep+1, 0x1.fda14e65fcc88p-1, 0x1.047da4e3ef5c7p+1, 0x1.fda47ced45fbp-1,
0x1.034a983a902abp+1, 0x1.fda7883bd4846p-1, 0x1.021a8028fc947p+1, 0x1.fdaa71a0d5cp-1,
0x1.00ed447d3a075p+1, 0x1.fdad3a5738056p-1, 0x1.ff859c118f60bp+0, 0x1.fdafe3871506ep-1,
0x1.fd360d22fe785p+0, 0x1.fdb26e46fd31ap-1, 0x1.faebb187122bfp+0, 0x1.fdb4db9d27194p-1,
0x1.f8a6604899782p+0, 0x1.fdb72c80859e8p-1, 0x1.f665f20c90168p+0, 0x1.fdb961d9c73a8p-1,
0x1.f42a40fb74d6dp+0, 0x1.fdbb7c84408fcp-1, 0x1.f1f328ac25321p+0, 0x1.fdbd7d4ec42dap-1,
0x1.efc086101eca9p+0, 0x1.fdbf64fc69398p-1, 0x1.ed9237610a73ap+0, 0x1.fdc134454289p-1,
0x1.eb681c0f76f08p+0, 0x1.fdc2ebd7078b4p-1, 0x1.e94214b2abf09p+0, 0x1.fdc48c55b040ap-1,
0x1.e72002f97fe23p+0, 0x1.fdc6165c055bp-1, 0x1.e501c99c1d186p+0, 0x1.fdc78a7c258ap-1,
0x1.e2e74c4ea46f3p+0, 0x1.fdc8e94000d9ep-1, 0x1.e0d06fb49d219p+0, 0x1.fdca3329caf6cp-1,
0x1.debd195522e34p+0, 0x1.fdcb68b465112p-1, 0x1.dcad2f8fc490cp+0, 0x1.fdcc8a53c01p-1,
0x1.daa0999206e6ep+0, 0x1.fdcd987537abep-1, 0x1.d8973f4d7fba4p+0, 0x1.fdce937fe7p-1,
0x1.d691096e7f123p+0, 0x1.fdcf7bd4f711p-1, 0x1.d48de1533c647p+0, 0x1.fdd051cfe7bfap-1,
0x1.d28db1037ef2p+0, 0x1.fdd115c6d38f4p-1, 0x1.d0906328b8f6ep+0, 0x1.fdd1c80aaea2cp-1,
0x1.ce95e3068e037p+0, 0x1.fdd268e781474p-1, 0x1.cc9e1c73bd69p+0, 0x1.fdd2f8a49e5c8p-1,
0x1.caa8fbd36a2abp+0, 0x1.fdd37784d5e5ep-1, 0x1.c8b66e0eba617p+0, 0x1.fdd3e5c6a404ap-1,
0x1.c6c6608ec8705p+0, 0x1.fdd443a45c9b4p-1, 0x1.c4d8c136e0d1dp+0, 0x1.fdd4915453d06p-1,
0x1.c2ed7e5f07a2dp+0, 0x1.fdd4cf0903a4ap-1, 0x1.c10486cec16ap+0, 0x1.fdd4fcf12eca8p-1,
0x1.bf1dc9b81ae82p+0, 0x1.fdd51b3800ebcp-1, 0x1.bd3936b2ec0a2p+0, 0x1.fdd52a052c82p-1,
0x1.bb56bdb85256ep+0, 0x1.fdd5297d06678p-1, 0x1.b9764f1e5f73dp+0, 0x1.fdd519c09f416p-1,
0x1.b797db93f8928p+0, 0x1.fdd4faeddadf4p-1, 0x1.b5bb541ce3d04p+0, 0x1.fdd4cd1f85ae4p-1,
0x1.b3e0aa0e00c01p+0, 0x1.fdd4906d68558p-1, 0x1.b207cf09a985cp+0, 0x1.fdd444ec5995ep-1,
0x1.b030b4fc3a11bp+0, 0x1.fdd3eaae4e7e8p-1, 0x1.ae5b4e18bb338p+0, 0x1.fdd381c2690b8p-1,
0x1.ac878cd5af5cfp+0, 0x1.fdd30a35053d8p-1, 0x1.aab563e9ff10ap+0, 0x1.fdd2840fc4bb6p-1,
0x1.a8e4c64a0313fp+0, 0x1.fdd1ef59990a4p-1, 0x1.a715a724aa9a7p+0, 0x1.fdd14c16cc686p-1,
0x1.a547f9e0bbb8bp+0, 0x1.fdd09a4909566p-1, 0x1.a37bb21a2c85ep+0, 0x1.fdcfd9ef60d74p-1,
0x1.a1b0c39f93696p+0, 0x1.fdcf0b064f704p-1, 0x1.9fe7226fad24dp+0, 0x1.fdce2d87c0ef6p-1,
0x1.9e1ec2b6f7414p+0, 0x1.fdcd416b12fe2p-1, 0x1.9c5798cd5d92ep+0, 0x1.fdcc46a51685cp-1,
0x1.9a919933f99c1p+0, 0x1.fdcb3d280fe84p-1, 0x1.98ccb892e2a33p+0, 0x1.fdca24e3b610ep-1,
0x1.9708ebb70d5efp+0, 0x1.fdc8fdc5305e8p-1, 0x1.954627903a28bp+0, 0x1.fdc7c7b71367ap-1,
0x1.9384612ef0afep+0, 0x1.fdc682a15c978p-1, 0x1.91c38dc288349p+0, 0x1.fdc52e696ca4ap-1,
0x1.9003a2973b591p+0, 0x1.fdc3caf200dcp-1, 0x1.8e44951446a28p+0, 0x1.fdc2581b2b40ep-1,
0x1.8c865aba10c9dp+0, 0x1.fdc0d5c24978ap-1, 0x1.8ac8e9205c044p+0, 0x1.fdbf43c1fa828p-1,
0x1.890c35f47f72ep+0, 0x1.fdbda1f2133p-1, 0x1.875036f7a7ec7p+0, 0x1.fdbbf027915a6p-1,
0x1.8594e1fd1f5bep+0, 0x1.fdba2e348dca6p-1, 0x1.83da2ce899f16p+0, 0x1.fdb85be82cca6p-1,
0x1.82200dac88677p+0, 0x1.fdb6790e8d568p-1, 0x1.80667a486ea1fp+0, 0x1.fdb48570b6e0ap-1,
0x1.7ead68c73dee7p+0, 0x1.fdb280d485992p-1, 0x1.7cf4cf3db22fcp+0, 0x1.fdb06afc95304p-1,
0x1.7b3ca3c8b140ap+0, 0x1.fdae43a829fd2p-1, 0x1.7984dc8babd94p+0, 0x1.fdac0a93187bap-1,
0x1.77cd6faeff44ap+0, 0x1.fda9bf75ab0dcp-1, 0x1.7616535e5732p+0, 0x1.fda7620485e9ap-1,
0x1.745f7dc70eeddp+0, 0x1.fda4f1f089208p-1, 0x1.72a8e516914c7p+0, 0x1.fda26ee6b0a52p-1,
0x1.70f27f78b68ecp+0, 0x1.fd9fd88ff237p-1, 0x1.6f3c43161f856p+0, 0x1.fd9d2e9119168p-1,
0x1.6d8626128d354p+0, 0x1.fd9a708a9f62cp-1, 0x1.6bd01e8b343bdp+0, 0x1.fd979e1884ffep-1,
0x1.6a1a22950b2b3p+0, 0x1.fd94b6d223e22p-1, 0x1.6864283b13139p+0, 0x1.fd91ba4a0196ap-1,
0x1.66ae257c99674p+0, 0x1.fd8ea80d9ddeap-1, 0x1.64f8104b7260dp+0, 0x1.fd8b7fa53e32ep-1,
0x1.6341de8a2b0a4p+0, 0x1.fd884093b5fa8p-1, 0x1.618b860a31fc5p+0, 0x1.fd84ea562b42ap-1,
0x1.5fd4fc89f5e39p+0, 0x1.fd817c63d7bd2p-1, 0x1.5e1e37b2f8cd4p+0, 0x1.fd7df62dc5c7cp-1,
0x1.5c672d17d733fp+0, 0x1.fd7a571e893ap-1, 0x1.5aafd23241b5ap+0, 0x1.fd769e99f3afap-1,
0x1.58f81c60e8515p+0, 0x1.fd72cbfcc4028p-1, 0x1.574000e555f79p+0, 0x1.fd6ede9c509f4p-1,
0x1.558774e1bb2c9p+0, 0x1.fd6ad5c62c56ap-1, 0x1.53ce6d56a665p+0, 0x1.fd66b0bfc5496p-1,
0x1.5214df20a8b5cp+0, 0x1.fd626ec5fd826p-1, 0x1.505abef5e5563p+0, 0x1.fd5e0f0cbcc7ap-1,
0x1.4ea001638a606p+0, 0x1.fd5990be7b24p-1, 0x1.4ce49acb311ddp+0, 0x1.fd54f2fbc39ep-1,
0x1.4b287f602415ep+0, 0x1.fd5034daae834p-1, 0x1.496ba32488f3p+0, 0x1.fd4b556652a5ap-1,
0x1.47adf9e66c338p+0, 0x1.fd46539e2cd4ap-1, 0x1.45ef773cac75ep+0, 0x1.fd412e757ccf8p-1,
0x1.44300e83c30a6p+0, 0x1.fd3be4d296dacp-1, 0x1.426fb2da6745fp+0, 0x1.fd36758e290ccp-1,
0x1.40ae571e09e76p+0, 0x1.fd30df7273544p-1, 0x1.3eebede725a85p+0, 0x1.fd2b213a711d6p-1,
0x1.3d28698561de3p+0, 0x1.fd253990f363ap-1, 0x1.3b63bbfb83d06p+0, 0x1.fd1f270fa9deep-1,
0x1.399dd6fb2b267p+0, 0x1.fd18e83e19d7ap-1, 0x1.37d6abe05586cp+0, 0x1.fd127b90810cap-1,
0x1.360e2baca52d7p+0, 0x1.fd0bdf66a2e78p-1, 0x1.3444470265ea4p+0, 0x1.fd05120a7e11ap-1,
0x1.3278ee1f4b933p+0, 0x1.fcfe11aee8486p-1, 0x1.30ac10d6e48dap+0, 0x1.fcf6dc6e0e144p-1,
0x1.2edd9e8cba99p+0, 0x1.fcef7047d3c74p-1, 0x1.2d0d862e1b855p+0, 0x1.fce7cb2014e04p-1,
0x1.2b3bb62b82edbp+0, 0x1.fcdfeabcbe9e6p-1, 0x1.29681c719d71dp+0, 0x1.fcd7ccc3c2356p-1,
0x1.2792a661dd381p+0, 0x1.fccf6eb8daaf2p-1, 0x1.25bb40ca96bfep+0, 0x1.fcc6cdfb220fp-1,
0x1.23e1d7de9c322p+0, 0x1.fcbde7c270d14p-1, 0x1.2206572c4c6ecp+0, 0x1.fcb4b91c82426p-1,
0x1.2028a9940a0a3p+0, 0x1.fcab3ee9d78fp-1, 0x1.1e48b93e0d431p+0, 0x1.fca175da52a4ap-1,
0x1.1c666f8f82acfp+0, 0x1.fc975a69812b8p-1, 0x1.1a81b51ee6d8bp+0, 0x1.fc8ce8da8ee6ap-1,
0x1.189a71a78da37p+0, 0x1.fc821d33d5afep-1, 0x1.16b08bfc4202p+0, 0x1.fc76f33a00056p-1,
0x1.14c3e9f8e9143p+0, 0x1.fc6b666ab1a96p-1, 0x1.12d4707310fc1p+0, 0x1.fc5f71f6a830ep-1,
0x1.10e20329515f1p+0, 0x1.fc5310bb43724p-1, 0x1.0eec84b16086fp+0, 0x1.fc463d3b63954p-1,
0x1.0cf3d664bcc83p+0, 0x1.fc38f19787f32p-1, 0x1.0af7d84bc6116p+0, 0x1.fc2b278517098p-1,
0x1.08f869071f40fp+0, 0x1.fc1cd844b44b2p-1, 0x1.06f565b72a014p+0, 0x1.fc0dfc97849e4p-1,
0x1.04eea9e16a5ffp+0, 0x1.fbfe8cb33da7ep-1, 0x1.02e40f5398f9dp+0, 0x1.fbee8034d685ep-1,
0x1.00d56e04234eep+0, 0x1.fbddce11aa29ep-1, 0x1.fd8537dfa2eb1p-1, 0x1.fbcc6c86d3ec8p-1,
0x1.f956d9e87d7b2p-1, 0x1.fbba510685f2p-1, 0x1.f51f654d8f68cp-1, 0x1.fba770230e53cp-1,
0x1.f0de784f0622ap-1, 0x1.fb93bd77334fcp-1, 0x1.ec93abdf982d2p-1, 0x1.fb7f2b8b7f9a2p-1,
0x1.e83e9337a6f04p-1, 0x1.fb69abb805c4p-1, 0x1.e3debb5d2ee02p-1, 0x1.fb532e020bd18p-1,
0x1.df73aa9f17656p-1, 0x1.fb3ba0f4f5ba6p-1, 0x1.dafce0023b8c8p-1, 0x1.fb22f175a5918p-1,
0x1.d679d29e41f14p-1, 0x1.fb090a8f611d2p-1, 0x1.d1e9f0e80b74bp-1, 0x1.faedd5391d066p-1,
0x1.cd4c9fe72268fp-1, 0x1.fad13811d33dap-1, 0x1.c8a13a5323b66p-1, 0x1.fab3171241ea6p-1,
0x1.c3e70f9594ef8p-1, 0x1.fa935332168f4p-1, 0x1.bf1d62abf8239p-1, 0x1.fa71c9fe1923ep-1,
0x1.ba4368e529f4p-1, 0x1.fa4e551c5e8a2p-1, 0x1.b558487427a2fp-1, 0x1.fa28c9bad89ccp-1,
0x1.b05b16d136ca2p-1, 0x1.fa00f7e3b9262p-1, 0x1.ab4ad6e101636p-1, 0x1.f9d6a9b1fd934p-1,
0x1.a62676d77cd5fp-1, 0x1.f9a9a25f0738ap-1, 0x1.a0eccdca4a731p-1, 0x1.f9799d2044636p-1,
0x1.9b9c98e38c54dp-1, 0x1.f9464bc97bd0cp-1, 0x1.96347822c1efp-1, 0x1.f90f552512d4ap-1,
0x1.90b2ea94ecf9ep-1, 0x1.f8d452ef5dc62p-1, 0x1.8b1649e7b769fp-1, 0x1.f894cf5c4b7a4p-1,
0x1.855cc53430a7dp-1, 0x1.f8504206f4492p-1, 0x1.7f845ad46f549p-1, 0x1.f8060c1fed8bp-1,
0x1.798ad10b32a7ep-1, 0x1.f7b573a0817dcp-1, 0x1.736dad346f8adp-1, 0x1.f75d9d343ca1ap-1,
0x1.6d2a292000577p-1, 0x1.f6fd846cdfcfp-1, 0x1.66bd261a37c44p-1, 0x1.f693f1aa6e98cp-1,
0x1.60231cfd97ef1p-1, 0x1.f61f6ce31721ep-1, 0x1.59580a707ce9cp-1, 0x1.f59e2c1a6a9b8p-1,
0x1.52575621ad379p-1, 0x1.f50dfbcb697f2p-1, 0x1.4b1bb363dfeadp-1, 0x1.f46c1eb03f4e6p-1,
0x1.439ef8dff9b5ap-1, 0x1.f3b520fb7ea12p-1, 0x1.3bd9ec1a2b134p-1, 0x1.f2e498e9ba1b6p-1,
0x1.33c3fc05791fap-1, 0x1.f1f4caf064bbcp-1, 0x1.2b52e3863d885p-1, 0x1.f0de218c6afa6p-1,
0x1.227a28f7a1afap-1, 0x1.ef965d8508938p-1, 0x1.192a69741367dp-1, 0x1.ee0f4eaa72d4ap-1,
0x1.0f5053b025d4ap-1, 0x1.ec34bc837472ep-1, 0x1.04d32278ebbb4p-1, 0x1.e9e8d2ac24ab8p-1,
0x1.f32482d4cd5dp-2, 0x1.e6fdac3ff963p-1, 0x1.dac2f5a747281p-2, 0x1.e328e15f48958p-1,
0x1.c004d2f386207p-2, 0x1.dde9702fd9572p-1, 0x1.a230c2e4cd0cbp-2, 0x1.d64abd3a7eefep-1,
0x1.801fce82fa71bp-2, 0x1.ca3ecfd83dddap-1, 0x1.57cb938443b71p-2, 0x1.b46a9f57b028ep-1,
0x1.250af3c2c5bc6p-2, 0x1.8117d31f78d6ep-1, 0x1.b8d0be3fdf703p-3, 0x0p+0,
};

static const double ts__zig_r = 0x1.d3bb48209ad33p+1; /* = X[1] = ts__zig_xr[2] */

static inline uint64_t ts__rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t ts__mix(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static inline uint64_t ts__aux_next(uint64_t *s)
{
  uint64_t res = ts__rotl(s[0] + s[3], 23) + s[0];
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = ts__rotl(s[3], 45);
  return res;
}

/* uniform on (0, 1): (m + 1/2) 2^-52, m the top 52 bits */
static inline double ts__u01(uint64_t u) { return ((double)(u >> 12) + 0.5) * 0x1p-52; }

ts_rng *ts_rng_alloc(uint64_t seed, uint64_t stream)
{
  size_t sz = (sizeof(ts_rng) + 63) / 64 * 64;
  ts_rng *r = aligned_alloc(64, sz);
  if (!r) return NULL;
  memset(r, 0, sz);
  const uint64_t G = 0x9e3779b97f4a7c15u;
  uint64_t h = ts__mix(ts__mix(seed + G) ^ stream);
  for (int l = 0; l < TS__LANES; l++)
    for (int w = 0; w < 4; w++) r->s[w][l] = ts__mix(h + (uint64_t)(4 * l + w + 1) * G);
  for (int w = 0; w < 4; w++) r->aux[w] = ts__mix(h + (uint64_t)(4 * TS__LANES + w + 1) * G);
  r->gpos = TS__LANES;
  return r;
}

void ts_rng_free(ts_rng *r) { free(r); }

uint64_t ts_rng_u64(ts_rng *r) { return ts__aux_next(r->aux); }
double ts_rng_uniform(ts_rng *r) { return ts__u01(ts__aux_next(r->aux)); }

const char *ts_rng_generator_name(void) { return "xoshiro256++x8"; }
const char *ts_rng_sampler_name(void) { return "ziggurat-256"; }

/* The ziggurat after a fast-path rejection of the draw u (see the file comment). */
static double ts__zig_slow(uint64_t *aux, uint64_t u)
{
  for (;;) {
    unsigned i = (unsigned)(u & 255u);
    uint64_t m = u >> 12;
    int neg = (int)((u >> 8) & 1u);
    double f = (double)(int64_t)m * 0x1p-52; /* m < 2^52: exact */
    double x = f * ts__zig_xr[2 * i];
    if (f < ts__zig_xr[2 * i + 1]) return neg ? -x : x;
    if (i == 0) { /* tail beyond r */
      double a, b;
      do {
        a = -log(ts__u01(ts__aux_next(aux))) / ts__zig_r;
        b = -log(ts__u01(ts__aux_next(aux)));
      } while (b + b < a * a);
      return neg ? -(ts__zig_r + a) : ts__zig_r + a;
    }
    double y = ts__zig_f[i] + ts__u01(ts__aux_next(aux)) * (ts__zig_f[i + 1] - ts__zig_f[i]);
    if (y < exp(-0.5 * x * x)) return neg ? -x : x;
    u = ts__aux_next(aux);
  }
}

/* Step the 8 lanes nb times, turning each step's 8 outputs into 8 Gaussians at out + 8 b (any alignment).
 * The lane state stays in registers over the whole call; only rejected draws (1.5%) leave the vector code. */
#if defined(__AVX2__)
/* One xoshiro256++ step of four lanes (s0..s3) giving u, then the ziggurat fast path of u: x (signed), ok. */
#define TS__HALF(s0, s1, s2, s3, u, x, ok)                                                                      \
  do {                                                                                                          \
    __m256i sum_ = _mm256_add_epi64(s0, s3);                                                                    \
    u = _mm256_add_epi64(_mm256_or_si256(_mm256_slli_epi64(sum_, 23), _mm256_srli_epi64(sum_, 41)), s0);        \
    __m256i t_ = _mm256_slli_epi64(s1, 17);                                                                     \
    s2 = _mm256_xor_si256(s2, s0);                                                                              \
    s3 = _mm256_xor_si256(s3, s1);                                                                              \
    s1 = _mm256_xor_si256(s1, s2);                                                                              \
    s0 = _mm256_xor_si256(s0, s3);                                                                              \
    s2 = _mm256_xor_si256(s2, t_);                                                                              \
    s3 = _mm256_or_si256(_mm256_slli_epi64(s3, 45), _mm256_srli_epi64(s3, 19));                                 \
    uint64_t ix_[4]; /* layer indices; (X[i], R[i]) pairs by 16-byte loads (faster than gathers on Zen) */  \
    _mm256_storeu_si256((__m256i *)ix_, _mm256_and_si256(u, b255));                                            \
    __m256d p02_ = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(ts__zig_xr + 2 * ix_[0])),          \
                                        _mm_loadu_pd(ts__zig_xr + 2 * ix_[2]), 1);                              \
    __m256d p13_ = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(ts__zig_xr + 2 * ix_[1])),          \
                                        _mm_loadu_pd(ts__zig_xr + 2 * ix_[3]), 1);                              \
    __m256d xt_ = _mm256_unpacklo_pd(p02_, p13_), rt_ = _mm256_unpackhi_pd(p02_, p13_);                       \
    __m256i m_ = _mm256_srli_epi64(u, 12);                                                                      \
    __m256d f_ = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(m_, one_bits)), one); /* m 2^-52 */          \
    ok = _mm256_castpd_si256(_mm256_cmp_pd(f_, rt_, _CMP_LT_OQ));                                               \
    x = _mm256_mul_pd(f_, xt_);                                                                                 \
    x = _mm256_xor_pd(x, _mm256_castsi256_pd(_mm256_and_si256(_mm256_slli_epi64(u, 55), sgn)));                \
  } while (0)

static void ts__blocks(ts_rng *r, double *restrict out, size_t nb)
{
  const __m256i b255 = _mm256_set1_epi64x(255), one_bits = _mm256_set1_epi64x(0x3ff0000000000000),
                sgn = _mm256_set1_epi64x(INT64_MIN);
  const __m256d one = _mm256_set1_pd(1.0);
  __m256i a0 = _mm256_load_si256((const __m256i *)&r->s[0][0]), b0 = _mm256_load_si256((const __m256i *)&r->s[0][4]);
  __m256i a1 = _mm256_load_si256((const __m256i *)&r->s[1][0]), b1 = _mm256_load_si256((const __m256i *)&r->s[1][4]);
  __m256i a2 = _mm256_load_si256((const __m256i *)&r->s[2][0]), b2 = _mm256_load_si256((const __m256i *)&r->s[2][4]);
  __m256i a3 = _mm256_load_si256((const __m256i *)&r->s[3][0]), b3 = _mm256_load_si256((const __m256i *)&r->s[3][4]);
  for (size_t b = 0; b < nb; b++, out += TS__LANES) {
    __m256i ua, ub, oka, okb;
    __m256d xa, xb;
    TS__HALF(a0, a1, a2, a3, ua, xa, oka);
    TS__HALF(b0, b1, b2, b3, ub, xb, okb);
    _mm256_storeu_pd(out, xa);
    _mm256_storeu_pd(out + 4, xb);
    unsigned acc = (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(oka)) |
                   (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(okb)) << 4;
    if (acc != 0xffu) {
      uint64_t u[TS__LANES];
      _mm256_storeu_si256((__m256i *)u, ua);
      _mm256_storeu_si256((__m256i *)(u + 4), ub);
      for (int l = 0; l < TS__LANES; l++)
        if (!(acc >> l & 1u)) out[l] = ts__zig_slow(r->aux, u[l]);
    }
  }
  _mm256_store_si256((__m256i *)&r->s[0][0], a0), _mm256_store_si256((__m256i *)&r->s[0][4], b0);
  _mm256_store_si256((__m256i *)&r->s[1][0], a1), _mm256_store_si256((__m256i *)&r->s[1][4], b1);
  _mm256_store_si256((__m256i *)&r->s[2][0], a2), _mm256_store_si256((__m256i *)&r->s[2][4], b2);
  _mm256_store_si256((__m256i *)&r->s[3][0], a3), _mm256_store_si256((__m256i *)&r->s[3][4], b3);
}
#undef TS__HALF
#else
static void ts__blocks(ts_rng *r, double *restrict out, size_t nb)
{
  for (size_t b = 0; b < nb; b++, out += TS__LANES) {
    uint64_t u[TS__LANES];
    unsigned acc = 0; /* bit l set: lane l accepted on the fast path */
    for (int l = 0; l < TS__LANES; l++) {
      uint64_t s0 = r->s[0][l], s1 = r->s[1][l], s2 = r->s[2][l], s3 = r->s[3][l];
      uint64_t uu = ts__rotl(s0 + s3, 23) + s0, t = s1 << 17;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = ts__rotl(s3, 45);
      r->s[0][l] = s0;
      r->s[1][l] = s1;
      r->s[2][l] = s2;
      r->s[3][l] = s3;
      unsigned i = (unsigned)(uu & 255u);
      uint64_t m = uu >> 12, bits = m | 0x3ff0000000000000u;
      double f, x;
      memcpy(&f, &bits, sizeof f);
      f -= 1.0; /* = m 2^-52, as in the AVX2 code */
      x = f * ts__zig_xr[2 * i];
      memcpy(&bits, &x, sizeof bits);
      bits ^= (uu << 55) & 0x8000000000000000u;
      memcpy(&x, &bits, sizeof x);
      out[l] = x;
      u[l] = uu;
      acc |= (unsigned)(f < ts__zig_xr[2 * i + 1]) << l;
    }
    if (acc != 0xffu)
      for (int l = 0; l < TS__LANES; l++)
        if (!(acc >> l & 1u)) out[l] = ts__zig_slow(r->aux, u[l]);
  }
}
#endif

double ts_rng_gaussian(ts_rng *r)
{
  if (r->gpos == TS__LANES) {
    ts__blocks(r, r->gbuf, 1);
    r->gpos = 0;
  }
  return r->gbuf[r->gpos++];
}

void ts_rng_gaussian_fill(ts_rng *r, double *x, size_t n)
{
  size_t i = 0;
  while (i < n && r->gpos < TS__LANES) x[i++] = r->gbuf[r->gpos++];
  size_t nb = (n - i) / TS__LANES;
  ts__blocks(r, x + i, nb);
  i += nb * TS__LANES;
  if (i < n) {
    ts__blocks(r, r->gbuf, 1);
    r->gpos = 0;
    while (i < n) x[i++] = r->gbuf[r->gpos++];
  }
}

uint64_t ts_rng_seed_for(uint64_t base, uint64_t index)
{
  uint64_t z = base + 0x9E3779B97F4A7C15ull * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
