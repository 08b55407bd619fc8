export const validationKeys = {
  all: ['validations'] as const,
  project: (projectId: string) => [...validationKeys.all, projectId] as const,
  ruleTypes: (projectId: string) => [...validationKeys.project(projectId), 'rule-types'] as const,
  rules: (projectId: string, collection: string, field: string) =>
    [...validationKeys.project(projectId), 'rules', collection, field] as const,
};
