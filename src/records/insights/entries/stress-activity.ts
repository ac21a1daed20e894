import type { InsightEntry } from "../types";

/** Stress duration, frequency and recovery; movement and intense activity. */
export const STRESS_ACTIVITY_ENTRIES: readonly InsightEntry[] = [
  {
    id: "ri_stress_duration_01",
    period: "day",
    title: "A long time in high gear",
    conditions: { metric: "stress_duration", op: "gt", value: 180 },
    text: "Your body spent a large part of today in an activated state. Physiological activation is a normal and useful response to challenge; research links feeling worn out more with a lack of recovery in between. Short breaks, a walk or a few slow breaths between demands can help the body shift back down.",
  },
  {
    id: "ri_stress_duration_02",
    period: "week",
    title: "More activation than usual",
    conditions: { trend: "stress_duration", direction: "up" },
    text: "Time spent in an activated state has increased compared with your recent days. Looking back at what changed, such as workload, sleep or social commitments, can show which demands weigh most. Noticing the pattern is often the first step towards adjusting it.",
  },
  {
    id: "ri_stress_duration_03",
    period: "day",
    title: "A lighter day for your body",
    conditions: { trend: "stress_duration", direction: "down" },
    text: "Your body spent less time in an activated state than usual today. Days like this are a chance to notice what was different, such as the pace of your schedule, time outdoors or a better night. Repeating those conditions is easier once you know what they are.",
  },
  {
    id: "ri_stress_frequency_01",
    period: "day",
    title: "Many short peaks",
    conditions: { metric: "stress_frequency", op: "gte", value: 8 },
    text: "Today had many separate moments of raised activation. Workplace research links frequent task switching and interruptions with a sense of pressure, even when each moment is small. Grouping similar tasks or silencing notifications for a while can reduce the number of switches.",
  },
  {
    id: "ri_stress_recovery_01",
    period: "both",
    title: "Slower to settle",
    conditions: { trend: "stress_recovery", direction: "up" },
    text: "After moments of raised activation, your body took longer than usual to return to its calmer range. Recovery speed is influenced by sleep, fatigue and how much is going on at once. Deliberate pauses after demanding moments, even a minute or two, give the nervous system a chance to settle.",
  },
  {
    id: "ri_stress_recovery_02",
    period: "both",
    title: "Bouncing back faster",
    conditions: { trend: "stress_recovery", direction: "down" },
    text: "Your body returned to its calmer range faster than usual after stressful moments. Quicker recovery is often seen alongside better sleep, regular movement and routines that include rest. It can be encouraging to notice what supported it.",
  },
  {
    id: "ri_activity_intense_01",
    period: "day",
    title: "Time spent moving hard",
    conditions: { metric: "intense_activity", op: "gte", value: 30 },
    text: "You spent a good amount of time in intense activity today. Vigorous movement challenges the heart and muscles, and the adaptation happens during the rest that follows. Sleep and an easier day after a hard session help the body turn effort into fitness.",
  },
  {
    id: "ri_activity_intense_02",
    period: "week",
    title: "Small doses of movement add up",
    conditions: { metric: "intense_activity", op: "lt", value: 10 },
    text: "This week had little intense activity. Research on physical activity suggests that even short bouts of brisk movement, such as a few minutes of fast walking or taking the stairs, are associated with benefits when they add up. Starting with something easy to repeat is usually more sustainable than a big change.",
  },
  {
    id: "ri_activity_steps_01",
    period: "day",
    title: "Time to stretch your legs",
    conditions: { metric: "steps", op: "lt", value: 4000 },
    text: "Your step count was on the low side today. Many studies suggest breaking up long periods of sitting, even with a few minutes of light walking. Pairing short walks with routine moments, like phone calls, makes them easier to remember.",
  },
  {
    id: "ri_activity_steps_02",
    period: "both",
    title: "A well-moved day",
    conditions: { metric: "steps", op: "gte", value: 8000 },
    text: "You moved a lot. Research on daily steps generally finds that more steps are associated with better long-term wellbeing, with the added benefit levelling off at higher counts. Consistency across the week matters as much as any single day.",
  },
  {
    id: "ri_activity_trend_01",
    period: "week",
    title: "More active than your usual",
    conditions: { trend: "intense_activity", direction: "up" },
    text: "Your intense activity has been above your recent average. Increasing training gradually gives muscles, tendons and the heart time to adapt. Watching your sleep and resting heart rate alongside it helps you see whether recovery keeps pace.",
  },
  {
    id: "ri_activity_recovery_01",
    period: "day",
    title: "Effort shows up overnight",
    conditions: {
      all: [
        { metric: "intense_activity", op: "gte", value: 45 },
        {
          any: [
            { trend: "resting_heart_rate", direction: "up" },
            { trend: "sleep_hrv", direction: "down" },
          ],
        },
      ],
    },
    text: "A hard session can keep your heart rate slightly higher and your HRV lower into the night and the next morning. That is a normal part of recovery and usually settles within a day or two. If it stays that way, easier sessions can give your body time to catch up.",
  },
];
