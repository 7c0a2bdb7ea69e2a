/**
 * A named step of the site build. Steps run in order; a step that throws stops the build, and
 * the error names the step, so a broken lesson or lab says where the build stopped.
 */
export interface BuildContext {
  projectDir: string;
  distDir: string;
  log(message: string): void;
}

export interface BuildStep {
  name: string;
  run(context: BuildContext): Promise<void>;
}

export async function runBuildSteps(steps: readonly BuildStep[], context: BuildContext): Promise<void> {
  for (const step of steps) {
    const stepStart = Date.now();
    context.log(`build: ${step.name}`);
    try {
      await step.run({ ...context, log: (message) => context.log(`  ${message}`) });
    } catch (error) {
      throw new Error(`build step "${step.name}" failed: ${(error as Error).message}`, { cause: error });
    }
    context.log(`build: ${step.name} done in ${((Date.now() - stepStart) / 1000).toFixed(1)} s`);
  }
}
