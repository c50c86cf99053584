// What every end-to-end spec imports: the demo accounts, the test fixtures and signing in
// (`support/base.ts`), and the steps several journeys take the same way: cases and
// invitations (`support/cases.ts`), check-ins and agreements (`support/check-ins.ts`).

export * from './support/base';
export * from './support/cases';
export * from './support/check-ins';
