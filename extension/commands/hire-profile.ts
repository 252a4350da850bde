// The hire_employee arguments from the answers of the hire quick-pick flow (plain, so it can be tested without VS Code).
import { apiKeyProviders } from '../secrets';

/** The hire_employee profile from the answers of the quick-pick flow. */
export function hireProfile(answers: { provider: string; model: string; name: string; skills: string }): Record<string, unknown> {
  const profile: Record<string, unknown> = {
    name: answers.name.trim(),
    provider: answers.provider,
    model: answers.model.trim(),
    skills: answers.skills.split(',').map((s) => s.trim()).filter(Boolean),
  };
  const keyVar = apiKeyProviders[answers.provider as keyof typeof apiKeyProviders];
  if (keyVar) {
    profile.apiKeyRef = `env:${keyVar}`;
    profile.egress = true; // a hosted model is reached over the network
  }
  return profile;
}
