import { base, en, Faker } from '@faker-js/faker'

/** The one seed everything derives from: change it and every name changes (ids do not). */
export const SEED = 20261125

export const MINUTE = 60
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** A private faker, so nothing else in the process can disturb its sequence. */
export function createFaker(...stream: number[]): Faker {
  const faker = new Faker({ locale: [en, base] })
  faker.seed([SEED, ...stream])
  return faker
}

/** `count` moments between `from` and `to` seconds ago (exclusive), oldest first. */
export function agesBetween(faker: Faker, from: number, to: number, count: number): number[] {
  const ages: number[] = []
  for (let i = 0; i < count; i++)
    ages.push(faker.number.int({ min: to + 1, max: Math.max(to + 1, from - 1) }))
  return ages.sort((a, b) => b - a)
}
