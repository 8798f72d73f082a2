CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_key" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"user_agent" text,
	CONSTRAINT "sessions_token_hash_key" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"is_admin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_key" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "album_assets" (
	"album_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "album_assets_album_id_asset_id_pk" PRIMARY KEY("album_id","asset_id")
);
--> statement-breakpoint
CREATE TABLE "albums" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"cover_asset_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "albums_id_owner_key" UNIQUE("id","owner_id")
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"root_id" uuid,
	"checksum" text NOT NULL,
	"path" text COLLATE "C" NOT NULL,
	"dir" text COLLATE "C" NOT NULL,
	"file_name" text NOT NULL,
	"mime_type" text,
	"format" text,
	"type" text NOT NULL,
	"size" bigint NOT NULL,
	"mtime" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"error" text,
	"offline" boolean DEFAULT false NOT NULL,
	"visibility" text DEFAULT 'timeline' NOT NULL,
	"taken_at" timestamp with time zone,
	"taken_local" text COLLATE "C",
	"tz_offset_min" integer,
	"taken_source" text,
	"month" text COLLATE "C",
	"width" integer,
	"height" integer,
	"orientation" integer,
	"duration" double precision,
	"is_favorite" boolean DEFAULT false NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"trashed_at" timestamp with time zone,
	"rating" integer,
	"description" text,
	"thumbhash" text,
	"content_identifier" text,
	"live_photo_video_id" uuid,
	"motion_photo" boolean DEFAULT false NOT NULL,
	"motion_video_offset" bigint,
	"motion_video_length" bigint,
	"duplicate_of" uuid,
	"sidecars" text[] DEFAULT '{}'::text[] NOT NULL,
	"device_id" text,
	"device_asset_id" text,
	"file_created_at" timestamp with time zone,
	"file_modified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assets_id_owner_key" UNIQUE("id","owner_id"),
	CONSTRAINT "assets_checksum_check" CHECK (checksum ~ '^[0-9a-f]{40}$'),
	CONSTRAINT "assets_type_check" CHECK (type IN ('image', 'video')),
	CONSTRAINT "assets_status_check" CHECK (status IN ('pending', 'ok', 'failed')),
	CONSTRAINT "assets_visibility_check" CHECK (visibility IN ('timeline', 'hidden', 'removed')),
	CONSTRAINT "assets_rating_check" CHECK (rating IS NULL OR rating BETWEEN -1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "derivatives" (
	"asset_id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"thumbnail_path" text,
	"thumbnail_width" integer,
	"thumbnail_height" integer,
	"thumbnail_source" text,
	"thumbnail_checksum" text,
	"thumbnail_version" integer,
	"thumbnail_error" text,
	"preview_path" text,
	"preview_width" integer,
	"preview_height" integer,
	"preview_checksum" text,
	"preview_version" integer,
	"preview_error" text,
	"video_state" text,
	"video_path" text,
	"video_checksum" text,
	"video_version" integer,
	"video_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exif" (
	"asset_id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"make" text COLLATE "C",
	"model" text COLLATE "C",
	"lens" text,
	"f_number" double precision,
	"exposure_time" text,
	"iso" integer,
	"focal_length" double precision,
	"latitude" double precision,
	"longitude" double precision,
	"altitude" double precision,
	"video_codec" text,
	"file_type" text COLLATE "C",
	"mime_type" text,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"warnings" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_roots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"path" text COLLATE "C" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_scan_at" timestamp with time zone,
	CONSTRAINT "library_roots_id_owner_key" UNIQUE("id","owner_id"),
	CONSTRAINT "library_roots_owner_path_key" UNIQUE("owner_id","path")
);
--> statement-breakpoint
CREATE TABLE "faces" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"person_id" uuid,
	"assigned_by" text,
	"rejected" boolean DEFAULT false NOT NULL,
	"clustered" boolean DEFAULT false NOT NULL,
	"x" double precision NOT NULL,
	"y" double precision NOT NULL,
	"width" double precision NOT NULL,
	"height" double precision NOT NULL,
	"landmarks" jsonb NOT NULL,
	"score" double precision NOT NULL,
	"embedding" real[] NOT NULL,
	"thumbnail_path" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "faces_assigned_by_check" CHECK (assigned_by IS NULL OR assigned_by IN ('machine', 'user'))
);
--> statement-breakpoint
CREATE TABLE "ml_state" (
	"asset_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"task" text NOT NULL,
	"checksum" text NOT NULL,
	"model" text NOT NULL,
	"error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ml_state_asset_id_task_pk" PRIMARY KEY("asset_id","task")
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"cover_face_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_id_owner_key" UNIQUE("id","owner_id")
);
--> statement-breakpoint
CREATE TABLE "smart_embeddings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"asset_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"model" text NOT NULL,
	"embedding" real[] NOT NULL,
	CONSTRAINT "smart_embeddings_asset_key" UNIQUE("asset_id")
);
--> statement-breakpoint
CREATE TABLE "job_lanes" (
	"lane" text PRIMARY KEY NOT NULL,
	"paused" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"lane" text NOT NULL,
	"payload" jsonb NOT NULL,
	"owner_id" uuid,
	"asset_id" uuid,
	"dedupe_key" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"rerun" boolean DEFAULT false NOT NULL,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_at" timestamp with time zone,
	"locked_by" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "jobs_status_check" CHECK (status IN ('queued', 'running', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "album_assets" ADD CONSTRAINT "album_assets_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "album_assets" ADD CONSTRAINT "album_assets_album_id_owner_id_albums_id_owner_id_fk" FOREIGN KEY ("album_id","owner_id") REFERENCES "public"."albums"("id","owner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "album_assets" ADD CONSTRAINT "album_assets_asset_id_owner_id_assets_id_owner_id_fk" FOREIGN KEY ("asset_id","owner_id") REFERENCES "public"."assets"("id","owner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "albums" ADD CONSTRAINT "albums_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "albums" ADD CONSTRAINT "albums_cover_asset_id_assets_id_fk" FOREIGN KEY ("cover_asset_id") REFERENCES "public"."assets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_root_id_owner_id_library_roots_id_owner_id_fk" FOREIGN KEY ("root_id","owner_id") REFERENCES "public"."library_roots"("id","owner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "derivatives" ADD CONSTRAINT "derivatives_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "derivatives" ADD CONSTRAINT "derivatives_asset_id_owner_id_assets_id_owner_id_fk" FOREIGN KEY ("asset_id","owner_id") REFERENCES "public"."assets"("id","owner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exif" ADD CONSTRAINT "exif_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exif" ADD CONSTRAINT "exif_asset_id_owner_id_assets_id_owner_id_fk" FOREIGN KEY ("asset_id","owner_id") REFERENCES "public"."assets"("id","owner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_roots" ADD CONSTRAINT "library_roots_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faces" ADD CONSTRAINT "faces_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faces" ADD CONSTRAINT "faces_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faces" ADD CONSTRAINT "faces_asset_id_owner_id_assets_id_owner_id_fk" FOREIGN KEY ("asset_id","owner_id") REFERENCES "public"."assets"("id","owner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ml_state" ADD CONSTRAINT "ml_state_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ml_state" ADD CONSTRAINT "ml_state_asset_id_owner_id_assets_id_owner_id_fk" FOREIGN KEY ("asset_id","owner_id") REFERENCES "public"."assets"("id","owner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "smart_embeddings" ADD CONSTRAINT "smart_embeddings_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "smart_embeddings" ADD CONSTRAINT "smart_embeddings_asset_id_owner_id_assets_id_owner_id_fk" FOREIGN KEY ("asset_id","owner_id") REFERENCES "public"."assets"("id","owner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_user_idx" ON "api_keys" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "album_assets_asset_idx" ON "album_assets" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "albums_owner_idx" ON "albums" USING btree ("owner_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "albums_cover_idx" ON "albums" USING btree ("cover_asset_id") WHERE cover_asset_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "assets_root_idx" ON "assets" USING btree ("root_id") WHERE root_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "assets_owner_checksum_idx" ON "assets" USING btree ("owner_id","checksum") WHERE visibility <> 'removed';--> statement-breakpoint
CREATE UNIQUE INDEX "assets_path_idx" ON "assets" USING btree ("path") WHERE visibility <> 'removed';--> statement-breakpoint
CREATE INDEX "assets_visible_idx" ON "assets" USING btree ("owner_id","month","is_archived","taken_at","id") WHERE visibility = 'timeline' AND duplicate_of IS NULL AND trashed_at IS NULL AND status <> 'failed' AND month IS NOT NULL;--> statement-breakpoint
CREATE INDEX "assets_trash_idx" ON "assets" USING btree ("owner_id","month","taken_at","id") WHERE trashed_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "assets_taken_idx" ON "assets" USING btree ("owner_id","taken_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "assets_duplicate_idx" ON "assets" USING btree ("duplicate_of") WHERE duplicate_of IS NOT NULL;--> statement-breakpoint
CREATE INDEX "assets_dir_idx" ON "assets" USING btree ("owner_id","dir");--> statement-breakpoint
CREATE INDEX "assets_cid_idx" ON "assets" USING btree ("owner_id","content_identifier") WHERE content_identifier IS NOT NULL;--> statement-breakpoint
CREATE INDEX "assets_live_video_idx" ON "assets" USING btree ("live_photo_video_id") WHERE live_photo_video_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "assets_device_idx" ON "assets" USING btree ("owner_id","device_id","device_asset_id") WHERE device_asset_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "faces_asset_idx" ON "faces" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "faces_person_idx" ON "faces" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "faces_unclustered_idx" ON "faces" USING btree ("owner_id") WHERE clustered = false;--> statement-breakpoint
CREATE INDEX "people_owner_idx" ON "people" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "smart_embeddings_owner_idx" ON "smart_embeddings" USING btree ("owner_id","model");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_dedupe_idx" ON "jobs" USING btree ("dedupe_key") WHERE status IN ('queued', 'running');--> statement-breakpoint
CREATE INDEX "jobs_claim_idx" ON "jobs" USING btree ("lane","status","run_after","id");--> statement-breakpoint
CREATE INDEX "jobs_owner_idx" ON "jobs" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "jobs_asset_idx" ON "jobs" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "jobs_running_idx" ON "jobs" USING btree ("locked_by") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "jobs_failed_idx" ON "jobs" USING btree ("lane","finished_at") WHERE status = 'failed';--> statement-breakpoint
CREATE INDEX "jobs_finished_idx" ON "jobs" USING btree ("finished_at","lane") WHERE finished_at IS NOT NULL;