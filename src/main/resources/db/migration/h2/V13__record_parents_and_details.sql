-- The jdbc sink's columns for the record's optional parts: the parent ids a child record carries (so lesson rows join
-- their course enrollment without reading raw), and the details object (credits, certificate, collection, attempts).
ALTER TABLE learning_record ADD COLUMN parent_course_id VARCHAR(1024);
ALTER TABLE learning_record ADD COLUMN parent_course_enrollment_id VARCHAR(1024);
ALTER TABLE learning_record ADD COLUMN parent_chapter_id VARCHAR(1024);
ALTER TABLE learning_record ADD COLUMN parent_lesson_id VARCHAR(1024);
ALTER TABLE learning_record ADD COLUMN parent_lesson_enrollment_id VARCHAR(1024);
ALTER TABLE learning_record ADD COLUMN details CLOB;
CREATE INDEX learning_record_parent_course_enrollment ON learning_record (parent_course_enrollment_id);
