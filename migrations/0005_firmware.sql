CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor_id` text,
	`actor_email` text,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_target_idx` ON `audit_log` (`target_type`,`target_id`);--> statement-breakpoint
CREATE TABLE `firmware_hardware` (
	`release_id` text NOT NULL,
	`hardware_revision` text NOT NULL,
	`version` text NOT NULL,
	PRIMARY KEY(`release_id`, `hardware_revision`),
	FOREIGN KEY (`release_id`) REFERENCES `firmware_releases`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `firmware_hardware_version_idx` ON `firmware_hardware` (`version`,`hardware_revision`);--> statement-breakpoint
CREATE INDEX `firmware_hardware_revision_idx` ON `firmware_hardware` (`hardware_revision`);--> statement-breakpoint
CREATE TABLE `firmware_releases` (
	`id` text PRIMARY KEY NOT NULL,
	`version` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`rollout_percent` integer NOT NULL,
	`failure_threshold_percent` integer NOT NULL,
	`min_reports` integer NOT NULL,
	`mandatory` integer NOT NULL,
	`min_version` text,
	`notes` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`object_key` text NOT NULL,
	`downloads` integer DEFAULT 0 NOT NULL,
	`installs` integer DEFAULT 0 NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`halt_reason` text,
	`created_by` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`published_at` text,
	`halted_at` text,
	`retired_at` text,
	CONSTRAINT "firmware_rollout_range" CHECK("firmware_releases"."rollout_percent" BETWEEN 0 AND 100),
	CONSTRAINT "firmware_threshold_range" CHECK("firmware_releases"."failure_threshold_percent" BETWEEN 0 AND 100),
	CONSTRAINT "firmware_min_reports_range" CHECK("firmware_releases"."min_reports" >= 0)
);
--> statement-breakpoint
CREATE INDEX `firmware_releases_status_idx` ON `firmware_releases` (`status`,`channel`);--> statement-breakpoint
CREATE TABLE `firmware_reports` (
	`release_id` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`hardware_revision` text NOT NULL,
	`error` text,
	`first_at` text NOT NULL,
	`last_at` text NOT NULL,
	PRIMARY KEY(`release_id`, `user_id`, `status`),
	FOREIGN KEY (`release_id`) REFERENCES `firmware_releases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `firmware_reports_release_idx` ON `firmware_reports` (`release_id`,`status`,`last_at`);--> statement-breakpoint
CREATE INDEX `firmware_reports_user_idx` ON `firmware_reports` (`user_id`);--> statement-breakpoint
CREATE TABLE `firmware_upload_parts` (
	`upload_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`etag` text NOT NULL,
	`size_bytes` integer NOT NULL,
	PRIMARY KEY(`upload_id`, `part_number`),
	FOREIGN KEY (`upload_id`) REFERENCES `firmware_uploads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `firmware_uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`upload_id` text NOT NULL,
	`metadata` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`part_bytes` integer NOT NULL,
	`part_count` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `firmware_uploads_expiry_idx` ON `firmware_uploads` (`expires_at`);