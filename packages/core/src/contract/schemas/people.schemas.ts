// People and faces: faces found in photos, clustered into people the user can name, merge and hide.
import { z } from 'zod';
import { QueryBool } from './common.schemas.ts';

/** A rectangle in the displayed (upright) picture, as fractions of its width and height. */
export const FaceBox = z
  .object({
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
    width: z.number().min(0).max(1),
    height: z.number().min(0).max(1),
  })
  .meta({ id: 'FaceBox' });
export type FaceBox = z.infer<typeof FaceBox>;

export const Person = z
  .object({
    id: z.uuid(),
    name: z.string().describe('empty until the user names the person'),
    hidden: z.boolean(),
    faceCount: z.number().int(),
    assetCount: z.number().int().describe('photos and videos the person is in (trashed ones left out)'),
    coverFaceId: z.uuid().nullable().describe('the face shown for the person: the chosen one, else the best-detected'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Person' });
export type Person = z.infer<typeof Person>;

export const Face = z
  .object({
    id: z.uuid(),
    assetId: z.uuid(),
    personId: z.uuid().nullable(),
    personName: z.string().nullable(),
    box: FaceBox,
    score: z.number().describe('detector confidence, 0..1'),
    assignedBy: z.enum(['machine', 'user']).nullable().describe('who put the face in its person; null when it has none'),
  })
  .meta({ id: 'Face' });
export type Face = z.infer<typeof Face>;

export const PeopleQuery = z.object({
  withHidden: QueryBool.optional().describe('include hidden people (default false)'),
  minFaces: z.coerce.number().int().min(1).max(1000).optional().describe('only people with at least this many faces'),
});

export const PeopleList = z
  .object({
    people: z.array(Person),
    total: z.number().int(),
    hidden: z.number().int().describe('how many people are hidden'),
    unassignedFaces: z.number().int().describe('faces that belong to nobody yet'),
  })
  .meta({ id: 'PeopleList' });
export type PeopleList = z.infer<typeof PeopleList>;

export const PersonFacesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

const Name = z.string().trim().max(200);

export const CreatePersonBody = z.object({
  name: Name.optional(),
  faceIds: z.array(z.uuid()).min(1, 'a person starts with at least one face').max(10_000),
});
export type CreatePersonBody = z.infer<typeof CreatePersonBody>;

export const UpdatePersonBody = z
  .object({
    name: Name.optional(),
    hidden: z.boolean().optional(),
    coverFaceId: z.uuid().nullable().optional().describe("one of the person's faces; null goes back to the best-detected"),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');
export type UpdatePersonBody = z.infer<typeof UpdatePersonBody>;

export const MergePeopleBody = z.object({
  ids: z.array(z.uuid()).min(1).max(100).describe('the people merged into this one; they are deleted'),
});

export const MergePeopleResult = z
  .object({ person: Person, mergedFaces: z.number().int() })
  .meta({ id: 'MergePeopleResult' });

export const AssignFaceBody = z
  .object({ personId: z.uuid().nullable().describe('the person the face belongs to; null for nobody') })
  .strict();

export const ReclusterBody = z.object({}).strict();

export const ReclusterResult = z
  .object({
    people: z.number().int().describe('people after the re-cluster'),
    faces: z.number().int().describe('faces considered'),
    assigned: z.number().int().describe('faces that belong to a person afterwards'),
  })
  .meta({ id: 'ReclusterResult' });
export type ReclusterResult = z.infer<typeof ReclusterResult>;
