import type { InsightEntry } from "../types";

/** Sleep duration, regularity and structure. */
export const SLEEP_ENTRIES: readonly InsightEntry[] = [
  {
    id: "ri_sleep_duration_01",
    period: "day",
    title: "Short nights and the next day",
    conditions: { metric: "sleep_duration", op: "lt", value: 360 },
    text: "Research on sleep restriction consistently finds that attention and reaction time dip after a night of less than about six hours, often before people notice it themselves. A single short night is common and not a cause for concern. Keeping today's demands realistic and starting to wind down a little earlier tonight are simple ways to respond.",
  },
  {
    id: "ri_sleep_duration_02",
    period: "week",
    title: "When short nights add up",
    conditions: { metric: "sleep_duration", op: "lt", value: 390 },
    text: "Across several short nights, studies of sleep restriction find that the effects on alertness accumulate while the feeling of sleepiness levels off. This means a run of short nights can be harder to notice from the inside than in the data. Small, steady gains, such as going to bed 20 minutes earlier, tend to be easier to keep than one long catch-up night.",
  },
  {
    id: "ri_sleep_duration_03",
    period: "both",
    title: "Within the usual range",
    conditions: {
      all: [
        { metric: "sleep_duration", op: "gte", value: 420 },
        { metric: "sleep_duration", op: "lte", value: 540 },
      ],
    },
    text: "Population studies suggest that most adults do well with roughly seven to nine hours of sleep, and your sleep fell within that range. Duration is only one part of the picture: regular timing and an undisturbed night matter too. Noticing what helped you get here can make it easier to repeat.",
  },
  {
    id: "ri_sleep_duration_04",
    period: "day",
    title: "Shorter than your usual",
    conditions: { trend: "sleep_duration", direction: "down", minDelta: 45 },
    text: "Last night was noticeably shorter than your recent average. Sleep needs differ from person to person, so your own baseline is often a better reference than a general rule. After a one-off short night, keeping your usual wake-up time and going to bed a little earlier tends to work better than sleeping in.",
  },
  {
    id: "ri_sleep_duration_05",
    period: "day",
    title: "A longer night than usual",
    conditions: { trend: "sleep_duration", direction: "up", minDelta: 45 },
    text: "You slept longer than your recent average. A longer night after a busy or short stretch is a common way the body catches up. If you regularly need much longer nights at the weekend, that pattern can hint that weekday sleep is running short.",
  },
  {
    id: "ri_sleep_duration_06",
    period: "day",
    title: "A very long night",
    conditions: { metric: "sleep_duration", op: "gt", value: 600 },
    text: "Nights longer than about ten hours happen from time to time, for example after travel, a demanding few days or when feeling run down. In population research, regularly very long sleep is associated with feeling less refreshed rather than more. If long nights become a pattern, it is worth noticing how rested you actually feel during the day.",
  },
  {
    id: "ri_sleep_regularity_01",
    period: "both",
    title: "Regular timing",
    conditions: { metric: "sleep_regularity", op: "lt", value: 60 },
    text: "Going to bed and waking at similar times helps keep the body's internal clock aligned. Studies that track sleep timing find that more regular sleepers tend to report better mood and daytime energy, even with similar total sleep. A consistent wake-up time, including on weekends, is often the easiest anchor to start with.",
  },
  {
    id: "ri_sleep_regularity_02",
    period: "both",
    title: "A steady rhythm",
    conditions: { metric: "sleep_regularity", op: "gte", value: 80 },
    text: "Your sleep timing has been consistent. A stable rhythm supports the daily cycles of alertness, body temperature and hormones that the internal clock coordinates. Keeping morning light and meal times similarly regular can reinforce it.",
  },
  {
    id: "ri_sleep_regularity_03",
    period: "day",
    title: "Your rhythm shifted",
    conditions: { trend: "sleep_regularity", direction: "down" },
    text: "Your sleep timing was less regular than usual. Late events, travel or a change in routine are common reasons. Getting daylight soon after waking is one of the simplest ways to help the internal clock settle again.",
  },
  {
    id: "ri_sleep_consistency_01",
    period: "week",
    title: "Ups and downs in sleep length",
    conditions: { variability: "sleep_duration", op: "gt", value: 60 },
    text: "Your sleep length has varied quite a bit from night to night recently. Researchers describe irregular sleep as shifting the body clock back and forth, a pattern sometimes called social jet lag. Smoothing out the biggest differences between nights tends to matter more than hitting a perfect number.",
  },
  {
    id: "ri_sleep_consistency_02",
    period: "week",
    title: "Consistent nights",
    conditions: {
      all: [
        { variability: "sleep_duration", op: "lt", value: 30 },
        { metric: "sleep_duration", op: "gte", value: 400 },
      ],
    },
    text: "Your nights have been similar in length and long enough this week. Consistency like this gives the body clock a predictable pattern to follow. It is a good base from which to notice how other habits, such as evening meals or screen time, affect your sleep.",
  },
  {
    id: "ri_sleep_cycles_01",
    period: "day",
    title: "Room for more sleep cycles",
    conditions: { metric: "sleep_cycles", op: "lt", value: 4 },
    text: "Sleep is organised in cycles of roughly 90 minutes that move through light, deep and REM sleep. The later cycles of the night usually contain more REM sleep, so a shorter night tends to trim them first. Giving yourself a longer sleep window is the most direct way to make room for them.",
  },
];
