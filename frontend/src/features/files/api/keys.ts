export const fileKeys = {
  all: ['files'] as const,
  buckets: (projectId: string) => [...fileKeys.all, projectId, 'buckets'] as const,
  files: (projectId: string) => [...fileKeys.all, projectId, 'files'] as const,
  bucketFiles: (projectId: string, bucket: string) =>
    [...fileKeys.files(projectId), bucket] as const,
  roles: (projectId: string) => [...fileKeys.all, projectId, 'roles'] as const,
  thumbnail: (projectId: string, fileId: string, variant: string) =>
    [...fileKeys.all, projectId, 'thumb', fileId, variant] as const,
};
