/**
 * Ordering and linking of lessons. Works on plain `{ id, data }` objects (the shape of a
 * content collection entry) so it can be tested without Astro.
 */
export interface OrderedLesson {
  id: string;
  data: { title: string; order: number; duration: number };
}

/** The lesson's URL. Lesson ids come from file names under lessons/ (without `.mdx`). */
export function lessonHref(id: string): string {
  return `/lessons/${id}/`;
}

/**
 * Lessons in course order. Two lessons with the same `order` would make prev/next ambiguous,
 * so that is an error naming both, not a silent tie-break.
 */
export function sortLessons<T extends OrderedLesson>(lessons: readonly T[]): T[] {
  const sorted = [...lessons].sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id));
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!;
    const here = sorted[i]!;
    if (before.data.order === here.data.order) {
      throw new Error(`lessons "${before.id}" and "${here.id}" both have order ${here.data.order}: give each lesson its own order number`);
    }
  }
  return sorted;
}

export interface Neighbours<T> {
  previous: T | undefined;
  next: T | undefined;
}

export function neighbours<T extends OrderedLesson>(sorted: readonly T[], id: string): Neighbours<T> {
  const index = sorted.findIndex((lesson) => lesson.id === id);
  if (index === -1) return { previous: undefined, next: undefined };
  return { previous: sorted[index - 1], next: sorted[index + 1] };
}

export function totalMinutes(lessons: readonly OrderedLesson[]): number {
  return lessons.reduce((sum, lesson) => sum + lesson.data.duration, 0);
}

/** "45 min", "1 h", "2 h 30 min": short enough for a lesson card, clear when read aloud. */
export function formatMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
