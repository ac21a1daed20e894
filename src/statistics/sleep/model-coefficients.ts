/**
 * Written by `npm run fit:sleep -- --write` (scripts/fit-sleep-model.ts) from 19 PSG-scored nights of the
 * PhysioNet sleep-accel data set (Walch 2019, ODC-By 1.0). Do not edit by hand: change the fit and run it again.
 */
import type { SleepModel } from "./model";

export const SLEEP_MODEL: SleepModel = {
  sleep: {
    both: {
      inputs: [
        "motion",
        "motion5m",
        "motion20m",
        "motionPast10m",
        "motionNext10m",
        "motionPast30m",
        "heartRate10m",
        "heartRateZ5m",
        "heartRateSpreadZ5m",
        "heartRateDriftZ",
        "heartRateChange5m",
        "heartRateSpread5m",
      ],
      mean: [
        0.472601, 0.472257, 0.467502, 0.50175, 0.44823, 0.528962, 0.0762343, 0.0218744, 0.524198, 0.0916207, 0.0386861,
        0.0470491,
      ],
      scale: [
        0.931674, 0.749348, 0.494911, 0.689844, 0.586161, 0.589044, 0.0862274, 0.920656, 0.563433, 0.822298, 0.0367104,
        0.0584776,
      ],
      weights: [
        -0.602187, 0.206321, -0.235243, -0.340941, -0.0522335, -0.615582, -0.00174197, -0.00146116, -0.406143,
        -0.340782, -0.0300129, 0.209159,
      ],
      bias: 3.00846,
    },
    motion: {
      inputs: ["motion", "motion5m", "motion20m", "motionPast10m", "motionNext10m", "motionPast30m"],
      mean: [0.472601, 0.472257, 0.467502, 0.50175, 0.44823, 0.528962],
      scale: [0.931674, 0.749348, 0.494911, 0.689844, 0.586161, 0.589044],
      weights: [-0.683436, 0.0785765, -0.19015, -0.356982, -0.0870009, -0.518548],
      bias: 2.93736,
    },
    heart: {
      inputs: [
        "heartRate10m",
        "heartRateZ5m",
        "heartRateSpreadZ5m",
        "heartRateDriftZ",
        "heartRateChange5m",
        "heartRateSpread5m",
      ],
      mean: [0.0762343, 0.0218744, 0.524198, 0.0916207, 0.0386861, 0.0470491],
      scale: [0.0862274, 0.920656, 0.563433, 0.822298, 0.0367104, 0.0584776],
      weights: [0.173635, 0.05759, -0.565039, -0.431778, -0.207315, 0.26383],
      bias: 2.46722,
    },
  },
  threshold: {
    both: 0.72,
    motion: 0.73,
    heart: 0.35,
  },
  rem: {
    inputs: [
      "heartRate",
      "heartRate5m",
      "heartRate10m",
      "heartRateSpread5m",
      "heartRateSpread2m",
      "heartRateDrift",
      "heartRateSpread20m",
      "heartRatePast10m",
      "heartRateNext10m",
      "heartRateChange5m",
      "heartRateZ",
      "heartRateZ5m",
      "heartRateSpreadZ5m",
      "heartRateDriftZ",
      "heartRateMaxZ2m",
      "motion5m",
      "motion20m",
      "hoursSinceOnset",
      "fractionOfPeriod",
    ],
    mean: [
      0.0687757, 0.0723701, 0.073817, 0.0412606, 0.0299502, 0.00271698, 0.0636581, 0.0730367, 0.0780463, 0.0350235,
      -0.055878, -0.0206264, 0.448129, 0.00464884, 0.813152, 0.311813, 0.363861, 3.3314, 0.494391,
    ],
    scale: [
      0.0890876, 0.0809081, 0.0761185, 0.0511797, 0.0427539, 0.0611408, 0.058703, 0.0763843, 0.0802474, 0.0330021,
      0.879927, 0.822198, 0.443262, 0.537599, 1.43074, 0.517582, 0.346437, 2.11727, 0.286293,
    ],
    weights: [
      -0.0600674, 0.173817, 0.230983, -1.03791, 0.0614571, -0.284845, -0.261184, 0.1431, 0.184323, 1.34644, -0.328711,
      0.438089, 0.556474, 0.746791, -0.469207, -0.243101, 0.288492, 0.34042, 0.337167,
    ],
    bias: -1.5426,
  },
  deep: {
    inputs: [
      "heartRate",
      "heartRate5m",
      "heartRate10m",
      "heartRateSpread5m",
      "heartRateSpread2m",
      "heartRateDrift",
      "heartRateSpread20m",
      "heartRatePast10m",
      "heartRateNext10m",
      "heartRateChange5m",
      "heartRateZ",
      "heartRateZ5m",
      "heartRateSpreadZ5m",
      "heartRateDriftZ",
      "heartRateMaxZ2m",
      "motion5m",
      "motion20m",
      "hoursSinceOnset",
      "fractionOfPeriod",
    ],
    mean: [
      0.056338, 0.0602124, 0.0627328, 0.0352421, 0.0247174, -0.0038164, 0.0590001, 0.063628, 0.0684476, 0.029159,
      -0.164514, -0.123113, 0.397304, -0.0626477, 0.619666, 0.290962, 0.343535, 3.04545, 0.457534,
    ],
    scale: [
      0.0733727, 0.0680403, 0.0665874, 0.0482441, 0.0397205, 0.0470876, 0.0579719, 0.0703712, 0.0724055, 0.0296509,
      0.812589, 0.775743, 0.449501, 0.453874, 1.41522, 0.503214, 0.334644, 2.08238, 0.286312,
    ],
    weights: [
      0.0935174, 0.359507, 0.239005, 0.477882, -0.192538, -0.258279, -0.422906, -0.131, -0.0710392, -1.19795, -0.476362,
      0.189315, -0.496159, 0.675458, 0.53379, 0.176211, -0.392104, -1.26962, 0.107005,
    ],
    bias: -2.22679,
  },
  stageShare: {
    rem: [0.035, 0.154, 0.282, 0.267, 0.224, 0.322, 0.402],
    deep: [0.449, 0.241, 0.147, 0.088, 0.034, 0.046, 0],
  },
};
