export * from './capture.ts';
export * from './snapshot.ts';
export * from './analysis.ts';
