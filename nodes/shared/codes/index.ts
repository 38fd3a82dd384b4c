export * from './resultCodes';
export * from './callCauses';
export * from './outcomes';
