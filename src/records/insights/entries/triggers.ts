import type { InsightEntry } from "../types";

/** Lifestyle triggers reported today or on past days, alone or together with what the body showed. */
export const TRIGGER_ENTRIES: readonly InsightEntry[] = [
  {
    id: "ri_caffeine_01",
    period: "day",
    title: "Caffeine timing",
    conditions: { trigger: "CAFFEINE" },
    text: "Caffeine blocks one of the brain's sleep-promoting signals and can stay active for many hours; how long varies a lot between people. Studies suggest that caffeine taken even six hours before bed can shorten sleep. Keeping it to the earlier part of the day is a common way to enjoy it without affecting the night.",
  },
  {
    id: "ri_caffeine_02",
    period: "week",
    title: "Caffeine and your week",
    conditions: {
      all: [
        { pastTrigger: "CAFFEINE", minDays: 3 },
        { metric: "sleep_duration", op: "lt", value: 420 },
      ],
    },
    text: "Caffeine appeared on several days recently, and your sleep has been on the shorter side. The link is not always direct, but afternoon caffeine is one of the most studied lifestyle influences on sleep. A few days with an earlier cut-off is an easy experiment to compare against your data.",
  },
  {
    id: "ri_alcohol_01",
    period: "day",
    title: "Alcohol and sleep",
    conditions: { trigger: "ALCOHOL" },
    text: "Alcohol can make it easier to fall asleep but tends to make the second half of the night lighter and more broken. Wearable data also commonly show a higher sleeping heart rate and lower HRV after drinking. Finishing earlier in the evening and drinking water alongside are common ways to soften the effect.",
  },
  {
    id: "ri_alcohol_02",
    period: "day",
    title: "Alcohol in your overnight data",
    conditions: {
      all: [
        { trigger: "ALCOHOL" },
        {
          any: [
            { trend: "sleep_hrv", direction: "down" },
            { trend: "resting_heart_rate", direction: "up" },
          ],
        },
      ],
    },
    text: "You reported alcohol, and your overnight recovery signals moved away from your usual range. Evening alcohol is one of the factors most consistently linked with this pattern in wearable studies, and the effect tends to grow with the amount and lateness of drinking. Comparing nights with and without it shows how your own body responds.",
  },
  {
    id: "ri_late_meal_01",
    period: "day",
    title: "Late meals",
    conditions: { trigger: "LATE_MEAL" },
    text: "A large meal close to bedtime keeps digestion busy while the body is trying to wind down. Research on meal timing suggests this can raise night-time heart rate and, for some people, make sleep lighter. Leaving two to three hours between dinner and bed is a common guideline.",
  },
  {
    id: "ri_screen_time_01",
    period: "day",
    title: "Screens before bed",
    conditions: { trigger: "SCREEN_TIME" },
    text: "Evening screen use often delays bedtime through engagement as much as through light, since an interesting feed or show is easy to continue. Bright light late in the evening can also push the body clock later. A screen cut-off or reading on paper are simple ways to protect the wind-down.",
  },
  {
    id: "ri_exercise_01",
    period: "day",
    title: "Exercise and sleep",
    conditions: { trigger: "EXERCISE" },
    text: "Regular physical activity is one of the habits most consistently associated with better sleep in research. For most people evening exercise does not harm sleep, although a very intense session right before bed can make it harder to wind down. Notice how your own nights respond to different timings.",
  },
  {
    id: "ri_meditation_01",
    period: "day",
    title: "Meditation practice",
    conditions: { trigger: "MEDITATION" },
    text: "Mindfulness and meditation have been studied for their effect on perceived stress, and many participants report feeling calmer after some weeks of practice. Changes in physiological measurements tend to be small and to build gradually. Regularity seems to matter more than the length of each session.",
  },
  {
    id: "ri_meditation_02",
    period: "week",
    title: "A growing habit",
    conditions: { pastTrigger: "MEDITATION", minDays: 3 },
    text: "You practised meditation on several days recently. Research on habit formation suggests that tying a new practice to an existing routine helps it stick. Looking at your stress and sleep trends over a few weeks can show whether it makes a difference for you.",
  },
  {
    id: "ri_breathwork_01",
    period: "day",
    title: "Slow breathing",
    conditions: { trigger: "BREATHWORK" },
    text: "Slow, paced breathing at around six breaths per minute is a technique studied for its calming effect on heart rhythm. Many people find that a few minutes are enough to feel a shift. Your data tonight and tomorrow can show whether it leaves a trace in your own measurements.",
  },
  {
    id: "ri_travel_01",
    period: "both",
    title: "Travel and your rhythm",
    conditions: { trigger: "TRAVEL" },
    text: "Travel disrupts routines, sleep timing and, across time zones, the body clock itself. The internal clock is often described as adjusting by about an hour a day, so it can take several days to feel settled. Daylight at the right time of day at your destination is one of the strongest cues to help it adjust.",
  },
  {
    id: "ri_work_stress_01",
    period: "day",
    title: "Leaving work at work",
    conditions: { trigger: "WORK_STRESS" },
    text: "Work pressure often stays in the body after the workday ends, especially when thoughts keep returning to unfinished tasks. One sleep study found that writing a short to-do list for the next day before bed helped people fall asleep faster. A clear transition, such as a walk or a change of clothes, can also mark the end of work.",
  },
  {
    id: "ri_work_stress_02",
    period: "both",
    title: "Work stress in the data",
    conditions: {
      all: [{ trigger: "WORK_STRESS" }, { metric: "stress_duration", op: "gt", value: 120 }],
    },
    text: "You reported work stress, and your body spent an extended time in an activated state. Research on recovery at work associates short breaks during the day, like stepping away from the screen or a brief walk, with more energy at the end of the day. Small, regular pauses tend to help more than waiting for the evening.",
  },
  {
    id: "ri_social_01",
    period: "day",
    title: "Time with others",
    conditions: { trigger: "SOCIAL" },
    text: "Social connection is one of the factors most consistently linked with wellbeing in research, and positive time with others can help buffer everyday stress. Late social evenings can also shift bedtime. Tomorrow's sleep data may show how the two balance out for you.",
  },
  {
    id: "ri_nature_01",
    period: "day",
    title: "Time outdoors",
    conditions: { trigger: "NATURE" },
    text: "Spending time in green or natural spaces has been associated in many studies with lower perceived stress and better mood. Outdoor daylight also helps anchor the body clock, which supports sleep later on. Even short, regular visits to a park seem to count.",
  },
  {
    id: "ri_nap_01",
    period: "day",
    title: "Napping well",
    conditions: { trigger: "NAP" },
    text: "Short naps of around 10 to 20 minutes can improve alertness without much grogginess afterwards. Longer or late-afternoon naps reduce the pressure to sleep and can make it harder to fall asleep at night. If you need a nap, early afternoon is usually the least disruptive time.",
  },
  {
    id: "ri_illness_01",
    period: "both",
    title: "Rest when unwell",
    conditions: { trigger: "ILLNESS" },
    text: "When you feel unwell, resting heart rate, skin temperature and breathing rate can move away from your usual range for a while. Extra rest and sleep are a sensible response. If you are worried about how you feel, a health professional is the right person to ask.",
  },
];
