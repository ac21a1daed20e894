import type { InsightEntry } from "../types";

/** Night-time and resting physiology: HRV, resting heart rate, breathing rate, skin temperature. */
export const BODY_ENTRIES: readonly InsightEntry[] = [
  {
    id: "ri_hrv_trend_01",
    period: "day",
    title: "Lower overnight HRV",
    conditions: { trend: "sleep_hrv", direction: "down" },
    text: "Your heart rate variability during sleep was below your recent average. HRV naturally moves from night to night with training load, alcohol, late meals, stress and sleep, so one lower reading is normal. Researchers usually look at the trend over several days rather than at a single night.",
  },
  {
    id: "ri_hrv_trend_02",
    period: "day",
    title: "Higher overnight HRV",
    conditions: { trend: "sleep_hrv", direction: "up" },
    text: "Your overnight heart rate variability was above your recent average. Higher HRV relative to your own baseline is often seen after restful days, lighter evenings or lower stress. Your own history is the right comparison, because typical HRV values differ widely between people.",
  },
  {
    id: "ri_hrv_variability_01",
    period: "week",
    title: "A fluctuating week",
    conditions: { variability: "sleep_hrv", op: "gt", value: 10 },
    text: "Your overnight HRV moved up and down more than usual this week. In training research, larger day-to-day swings have been associated with periods of higher load or less recovery. A few lighter days, regular sleep and quieter evenings are common ways to let it settle.",
  },
  {
    id: "ri_hrv_basics_01",
    period: "both",
    title: "What HRV reflects",
    conditions: { has: "sleep_hrv" },
    text: "Heart rate variability describes the small changes in time between heartbeats. It reflects, among other things, the balance between the body's activating and calming systems. Because it varies with age, fitness and genetics, your own trend over weeks tells you more than any comparison with someone else.",
  },
  {
    id: "ri_rhr_trend_01",
    period: "day",
    title: "Resting heart rate above your usual",
    conditions: { trend: "resting_heart_rate", direction: "up" },
    text: "Your resting heart rate was higher than your recent average. Short-term rises are common after hard training, alcohol, late meals, poor sleep, heat or a demanding day. Whether it returns to your usual range over the next few days says more than a single reading.",
  },
  {
    id: "ri_rhr_trend_02",
    period: "day",
    title: "A calmer resting heart rate",
    conditions: { trend: "resting_heart_rate", direction: "down" },
    text: "Your resting heart rate was lower than your recent average. Lower values relative to your own baseline often go together with good rest and recovery. Over months, regular aerobic activity is one of the habits associated with a gradually lower resting heart rate.",
  },
  {
    id: "ri_rhr_basics_01",
    period: "both",
    title: "What resting heart rate tells you",
    conditions: { has: "resting_heart_rate" },
    text: "Resting heart rate is the number of beats per minute while you are calm and still. It is personal and shaped by fitness, age, hydration, temperature and more. Following your own average over time gives more useful context than comparing with general ranges.",
  },
  {
    id: "ri_recovery_load_01",
    period: "week",
    title: "Signs of a demanding stretch",
    conditions: {
      all: [
        { trend: "resting_heart_rate", direction: "up" },
        { trend: "sleep_hrv", direction: "down" },
      ],
    },
    text: "This week your resting heart rate rose while your overnight HRV fell, both compared with your own baseline. In research on training and recovery, that combination is commonly read as the body handling more load than usual. Lighter days and earlier nights are simple ways to give it room to recover.",
  },
  {
    id: "ri_respiration_trend_01",
    period: "day",
    title: "Breathing a little faster at night",
    conditions: { trend: "respiration_rate", direction: "up" },
    text: "Your breathing rate during sleep was higher than your recent average. For most people, night-time breathing rate is very stable from one night to the next, so a change stands out. Heat, alcohol, hard training or feeling under the weather can all nudge it up for a while.",
  },
  {
    id: "ri_respiration_basics_01",
    period: "both",
    title: "A steady signal",
    conditions: { has: "respiration_rate" },
    text: "Breathing rate during sleep tends to be one of the most consistent measurements a wearable records. Because it varies so little for most people, it is a useful background signal for noticing when something in your routine has changed. Your own baseline is a better reference than other people's numbers.",
  },
  {
    id: "ri_temperature_high_01",
    period: "day",
    title: "Warmer than usual at night",
    conditions: { metric: "temperature_deviation", op: "gt", value: 0.5 },
    text: "Your skin temperature during sleep was above your usual range. The bedroom climate, bedding, alcohol, a late workout or the menstrual cycle can all play a part. A cool, well-ventilated bedroom is commonly recommended for comfortable sleep.",
  },
  {
    id: "ri_temperature_low_01",
    period: "day",
    title: "Cooler than usual at night",
    conditions: { metric: "temperature_deviation", op: "lt", value: -0.5 },
    text: "Your skin temperature was below your usual range last night. Skin temperature responds strongly to the surroundings, such as a cold room or a thin blanket. Like other night-time signals, it is most informative when viewed over several nights.",
  },
  {
    id: "ri_temperature_variability_01",
    period: "week",
    title: "Temperature rhythms",
    conditions: { variability: "temperature_deviation", op: "gt", value: 0.4 },
    text: "Your night-time temperature varied more than usual across recent nights. Body temperature follows a daily rhythm, for many women also a monthly one, and it reacts to sleeping conditions. Keeping the bedroom climate steady makes your own patterns easier to see.",
  },
];
