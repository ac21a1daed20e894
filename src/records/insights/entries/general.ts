import type { InsightEntry } from "../types";

/** General entries: no conditions, always eligible. They are the fallback when nothing specific is new. */
export const GENERAL_ENTRIES: readonly InsightEntry[] = [
  {
    id: "ri_general_habits_01",
    period: "both",
    title: "Small steps",
    text: "Lasting changes in wellbeing usually come from small habits repeated consistently rather than from big changes. Choosing one thing to try, such as a regular wake-up time or a short walk after lunch, makes its effect easier to see in your data. Your own baseline is the most useful reference.",
  },
  {
    id: "ri_general_reflection_01",
    period: "day",
    title: "Noticing how you feel",
    text: "Pairing your measurements with how you actually feel gives them meaning. Research on self-tracking suggests that reflecting on the data, not only collecting it, is what helps people change habits. A quick check-in at a regular time of day builds a useful picture over the weeks.",
  },
  {
    id: "ri_general_week_01",
    period: "week",
    title: "Looking at the week",
    text: "Weekly patterns often reveal more than single days, since one good or bad day can be chance. Look for what your best days had in common, such as sleep timing, movement or time outdoors. Those are the conditions worth repeating next week.",
  },
  {
    id: "ri_general_light_01",
    period: "both",
    title: "Light in the morning",
    text: "Daylight in the first hours after waking is one of the strongest signals for the body clock. It helps set the timing of alertness during the day and sleepiness at night. Even on a cloudy day, outdoor light is much brighter than typical indoor lighting.",
  },
  {
    id: "ri_general_rest_01",
    period: "day",
    title: "The value of rest",
    text: "Rest is not only sleep: quiet breaks, slow walks and unhurried meals also help the body recover from demands. Research on recovery from work suggests that mentally switching off during breaks matters as much as their length. Planning one proper pause today is a simple start.",
  },
  {
    id: "ri_general_baseline_01",
    period: "week",
    title: "Your own normal",
    text: "Most of the signals a wearable measures differ widely between people, so your own normal range is the most meaningful reference. A baseline takes a few weeks of regular wear to become reliable. Changes that last several days usually say more than a single unusual reading.",
  },
];
